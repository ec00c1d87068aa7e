// A drain that leaves a pod Terminating on the node is not done: run again, node-drain used to say
// "nothing to move off" and exit 0 over a pod a finalizer holds or a gone kubelet never finishes.
// Now every run fails until the pod is gone, naming it, why it is stuck, and what to do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { settle } from '../../src/sim/scenario.js';
import type { KubeObject } from '../../src/sim/world.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const FINALIZER = 'example.com/backup-hook';

const sitePodOn = (h: SimHarness, node?: string): KubeObject => {
  const pod = h.sim.world.kube
    .list('v1', 'Pod', 'default')
    .find(
      (p) =>
        p.metadata.labels?.app === 'site' &&
        (node === undefined || (p.spec as { nodeName?: string }).nodeName === node),
    );
  assert.ok(pod !== undefined, 'a site pod');
  return pod;
};

const nodeOf = (pod: KubeObject): string => {
  const node = (pod.spec as { nodeName?: string }).nodeName;
  assert.ok(node !== undefined);
  return node;
};

const podNamed = (h: SimHarness, name: string): KubeObject | undefined =>
  h.sim.world.kube.get('v1', 'Pod', 'default', name);

describe('node-drain over a pod a finalizer holds', () => {
  let h: SimHarness;
  let node: string;
  let pod: string;
  before(async () => {
    h = await startSimHarness('healthy');
    const site = sitePodOn(h);
    node = nodeOf(site);
    pod = site.metadata.name;
    h.sim.world.kube.restore({ ...site, metadata: { ...site.metadata, finalizers: [FINALIZER] } });
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('the first run evicts it and gives up after --timeout, naming the finalizer', async () => {
    const first = await runCli(['node-drain', '--yes', '--node', node, '--timeout', '2'], { env: h.env() });
    assert.equal(first.exitCode, EXIT_CODES['wait-timeout'], first.stderr + first.stdout);
    assert.match(first.stderr, new RegExp(`default/${pod} is terminating, held by finalizer ${FINALIZER}`));
    const left = podNamed(h, pod);
    assert.ok(left?.metadata.deletionTimestamp !== undefined, 'the pod is still there, Terminating');
  });

  it('run again, it fails (not exit 0), names the pod, the finalizer and how to remove it, and sends nothing', async () => {
    const before = h.mutations().length;
    const again = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
    assert.equal(again.exitCode, EXIT_CODES['step-failed'], again.stderr + again.stdout);
    assert.doesNotMatch(again.stdout, /nothing to move off/);
    assert.match(
      again.stdout,
      new RegExp(`default/${pod} is stuck terminating: finalizer ${FINALIZER} holds it`),
    );
    assert.match(
      again.stderr,
      new RegExp(
        `Node ${node} is not drained: default/${pod} is still on it, finalizer ${FINALIZER} holds it`,
      ),
    );
    assert.match(
      again.stderr,
      new RegExp(`remove the finalizer: kubectl patch pod ${pod} -n default --type=json`),
    );
    assert.deepEqual(h.mutations().slice(before), [], 'the node was already cordoned; nothing to evict');
  });

  it('once the finalizer is removed, the pod goes and the drain finishes', async () => {
    const held = podNamed(h, pod);
    assert.ok(held !== undefined);
    // What the finalizer's controller would do: take it off; a deleting pod with none left is removed.
    h.sim.world.kube.restore({ ...held, metadata: { ...held.metadata, finalizers: [] } });
    await settle(h.sim.world);
    const done = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
    assert.equal(done.exitCode, 0, done.stderr + done.stdout);
    assert.equal(podNamed(h, pod), undefined);
  });
});

describe('node-drain over pods a NotReady node never finishes', () => {
  let h: SimHarness;
  let node: string;
  before(async () => {
    h = await startSimHarness('healthy');
    node = nodeOf(sitePodOn(h));
    h.sim.world.faults.add({ kind: 'node-not-ready', node });
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('no run ends with exit 0 while they are there; the re-run says the kubelet is gone and what to do', async () => {
    const first = await runCli(['node-drain', '--yes', '--node', node, '--timeout', '2'], { env: h.env() });
    assert.notEqual(first.exitCode, 0, first.stderr + first.stdout);
    const stuck = h.sim.world.kube
      .list('v1', 'Pod')
      .filter(
        (p) =>
          (p.spec as { nodeName?: string }).nodeName === node &&
          p.metadata.deletionTimestamp !== undefined &&
          p.metadata.labels?.app === 'site',
      );
    assert.ok(stuck.length > 0, 'a site pod is left Terminating on the NotReady node');

    const again = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
    assert.equal(again.exitCode, EXIT_CODES['step-failed'], again.stderr + again.stdout);
    assert.doesNotMatch(again.stdout, /nothing to move off/);
    assert.match(
      again.stderr,
      new RegExp(
        `Node ${node} is not drained: default/${stuck[0]?.metadata.name ?? ''} is still on it, node ${node} is NotReady: its kubelet is not answering`,
      ),
    );
    assert.match(again.stderr, new RegExp(`recycle the node \\(runbook node-recycle --node ${node}\\)`));
    assert.match(again.stderr, /force-delete the pod \(runbook volume-reattach/);
  });
});
