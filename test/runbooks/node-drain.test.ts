// node-drain and node-uncordon end to end: the built CLI against the simulator, with --yes, again
// (idempotent), --dry-run, and the stops the 2021-01-10 night calls for: a budget that never allows
// an eviction, a budget that refuses until the timeout, pods that need a flag.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import type { KubeObject } from '../../src/sim/world.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const nodeOfApp = (h: SimHarness, app: string): string => {
  const pod = h.sim.world.kube.list('v1', 'Pod', 'default').find((p) => p.metadata.labels?.app === app);
  const node = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
  assert.ok(node !== undefined, `a ${app} pod on a node`);
  return node;
};

const podsOn = (h: SimHarness, node: string): KubeObject[] =>
  h.sim.world.kube.list('v1', 'Pod').filter((p) => (p.spec as { nodeName?: string }).nodeName === node);

const cordoned = (h: SimHarness, node: string): boolean =>
  h.get<{ spec: { unschedulable?: boolean } }>('v1', 'Node', undefined, node)?.spec.unschedulable === true;

const budget = (name: string, minAvailable: number): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'default' },
  spec: { minAvailable, selector: { matchLabels: { app: name } } },
});

const daemonSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'node-exporter', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'node-exporter' } },
    template: {
      metadata: { labels: { app: 'node-exporter' } },
      spec: { containers: [{ name: 'exporter', image: 'prom/node-exporter:v1.0.1' }] },
    },
  },
};

describe('node-drain with --yes, then again, then node-uncordon', () => {
  let h: SimHarness;
  let node: string;
  let result: Awaited<ReturnType<typeof runCli>>;
  before(async () => {
    h = await startSimHarness('healthy');
    h.sim.world.kube.create(budget('site', 1));
    h.sim.world.kube.create(daemonSet);
    await settle(h.sim.world);
    node = nodeOfApp(h, 'site');
    result = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
  });
  after(() => h.stop());

  it('cordons, skips the DaemonSet pod, names the budget, evicts the rest and says where they went', () => {
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, new RegExp(`cordon node ${node}`));
    assert.match(
      result.stdout,
      /skip default\/node-exporter-[a-z0-9]+: DaemonSet node-exporter runs one on every node/,
    );
    assert.match(result.stdout, /PodDisruptionBudget default\/site allows 1 disruption\(s\) now/);
    assert.match(result.stdout, /at most 5 at a time/);
    assert.match(result.stdout, /moved: .*\(deployment site\) → site-[a-z0-9-]+ on lke13311-/);
    assert.ok(cordoned(h, node));
    const left = podsOn(h, node).map((p) => p.metadata.labels?.app);
    assert.deepEqual(left, ['node-exporter']);
  });

  it('sent one cordon patch and one eviction per pod, nothing else', () => {
    const mutations = h.mutations();
    assert.equal(
      mutations.filter((r) => r.method === 'PATCH' && r.path === `/api/v1/nodes/${node}`).length,
      1,
    );
    const evictions = mutations.filter((r) => r.path.endsWith('/eviction'));
    assert.ok(evictions.length >= 1);
    assert.equal(mutations.length, 1 + evictions.length, JSON.stringify(mutations.map((r) => r.path)));
    assert.ok(!evictions.some((r) => r.path.includes('node-exporter')));
  });

  it('run again, it plans nothing and sends no change', async () => {
    const before = h.mutations().length;
    const again = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
    assert.equal(again.exitCode, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /is already cordoned/);
    assert.deepEqual(h.mutations().slice(before), []);
  });

  it('node-uncordon opens the node again, once', async () => {
    const before = h.mutations().length;
    const first = await runCli(['node-uncordon', '--yes', '--node', node], { env: h.env() });
    assert.equal(first.exitCode, 0, first.stderr + first.stdout);
    assert.match(first.stdout, new RegExp(`uncordon node ${node}`));
    assert.equal(cordoned(h, node), false);
    const second = await runCli(['node-uncordon', '--yes', '--node', node], { env: h.env() });
    assert.equal(second.exitCode, 0, second.stderr + second.stdout);
    assert.match(second.stdout, /is not cordoned/);
    assert.equal(h.mutations().slice(before).length, 1);
    const healthy = findScenario('healthy');
    assert.equal(healthy?.recovered(h.sim.world).ok, true);
  });
});

describe('node-drain --dry-run', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('plans the cordon and the evictions, has the live server check them, and changes nothing', async () => {
    const node = nodeOfApp(h, 'site');
    const result = await runCli(['node-drain', '--dry-run', '--node', node], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /DRY RUN: nothing will be changed/);
    assert.match(result.stdout, /evict \d pods? from node/);
    assert.deepEqual(h.mutations(), []);
    assert.equal(cordoned(h, node), false);
    assert.ok(h.previews().some((r) => r.method === 'PATCH' && r.path === `/api/v1/nodes/${node}`));
    assert.ok(h.previews().some((r) => r.path.endsWith('/eviction')));
  });
});

describe('node-drain stops cleanly', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('before anything, when a budget needs every pod it has (kubectl drain would hang for ever)', async () => {
    h.sim.world.kube.create(budget('site', 2));
    await settle(h.sim.world);
    const node = nodeOfApp(h, 'site');
    const result = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
    assert.equal(result.exitCode, 5, result.stderr + result.stdout);
    assert.match(result.stderr, /PodDisruptionBudget default\/site .* can never be allowed/);
    assert.match(result.stderr, /Scale that workload up by one/);
    assert.deepEqual(h.mutations(), []);
  });

  it('after --timeout, naming the budget, when it keeps refusing (429); the node stays cordoned', async () => {
    const pdb = h.sim.world.kube.get('policy/v1', 'PodDisruptionBudget', 'default', 'site');
    assert.ok(pdb !== undefined);
    h.sim.world.kube.restore({ ...pdb, spec: { ...(pdb.spec as object), minAvailable: 1 } });
    h.sim.world.faults.add({ kind: 'pdb-never-allows', namespace: 'default', name: 'site' });
    await settle(h.sim.world);
    const node = nodeOfApp(h, 'site');
    const result = await runCli(['node-drain', '--yes', '--node', node, '--timeout', '2'], { env: h.env() });
    assert.equal(result.exitCode, 1, result.stderr + result.stdout);
    assert.match(
      result.stderr,
      /could not be evicted within 2s: default\/site-[a-z0-9-]+ \(The disruption budget site needs 1 healthy pods/,
    );
    assert.match(result.stderr, /stays cordoned/);
    assert.ok(cordoned(h, node));
    assert.ok(h.sim.requests.some((r) => r.path.endsWith('/eviction') && r.status === 429));
  });

  it('when a pod has no controller, unless --unreplicated delete', async () => {
    const node = 'lke13311-16405-5fafd1b4a1e2';
    h.sim.world.faults.clear();
    h.sim.world.kube.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug-shell', namespace: 'default', labels: { run: 'debug-shell' } },
      spec: { nodeName: node, containers: [{ name: 'sh', image: 'busybox' }] },
    });
    await settle(h.sim.world);
    const before = h.mutations().length;
    const refused = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
    assert.equal(refused.exitCode, 5, refused.stderr + refused.stdout);
    assert.match(
      refused.stderr,
      /default\/debug-shell have no controller to recreate them \(--unreplicated delete\)/,
    );
    assert.deepEqual(h.mutations().slice(before), []);
    const forced = await runCli(['node-drain', '--yes', '--node', node, '--unreplicated', 'delete'], {
      env: h.env(),
    });
    assert.equal(forced.exitCode, 0, forced.stderr + forced.stdout);
    assert.match(forced.stdout, /default\/debug-shell \(no controller\): no replacement yet/);
  });

  it('on bad input: no --node, a node that does not exist (both exit 3)', async () => {
    const missing = await runCli(['node-drain', '--yes'], { env: h.env() });
    assert.equal(missing.exitCode, 3, missing.stderr);
    assert.match(missing.stderr, /--node is required/);
    const unknown = await runCli(['node-drain', '--yes', '--node', 'nosuch'], { env: h.env() });
    assert.equal(unknown.exitCode, 3, unknown.stderr);
    assert.match(unknown.stderr, /Node nosuch does not exist; this cluster has lke13311-/);
  });
});

describe('runbook show node-drain', () => {
  it('explains its steps and flags', async () => {
    const result = await runCli(['show', 'node-drain']);
    assert.equal(result.exitCode, 0, result.stderr);
    for (const text of [
      '--empty-dir-data',
      '--unreplicated',
      '--concurrency',
      '--timeout',
      '--node <name> +the node to drain \\(kubectl get nodes\\) \\(required\\)',
      'Say what moved where',
    ])
      assert.match(result.stdout, new RegExp(text));
  });
});
