// volume-reattach end to end: the built CLI against the 2021-07-11 scenario (volumes left attached
// to the recycled node's old Linode), with --yes, again (idempotent), --dry-run, and a detach that fails.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { settle } from '../../src/sim/scenario.js';
import type { Fault } from '../../src/sim/world.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const SCENARIO = '2021-07-11-cascading-node-failures';

function recovered(h: SimHarness, name = SCENARIO): { ok: boolean; detail: string } {
  const scenario = findScenario(name);
  assert.ok(scenario !== undefined);
  return scenario.recovered(h.sim.world);
}

const detaches = (h: SimHarness) =>
  h.mutations().filter((r) => r.method === 'POST' && /^\/v4\/volumes\/\d+\/detach$/.test(r.path));

describe('volume-reattach on 2021-07-11, with --yes', () => {
  let h: SimHarness;
  let result: Awaited<ReturnType<typeof runCli>>;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    result = await runCli(['volume-reattach', '--yes'], { env: h.env() });
  });
  after(() => h.stop());

  it('finds the three workloads from both kinds of evidence and recovers the night', () => {
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /FailedMount: MountVolume\.MountDevice failed for volume "pvc-[0-9a-f]{16}"/);
    assert.match(
      result.stdout,
      /Linode volume pvc[0-9a-f]{16} is attached to Linode \d+, which no longer exists/,
    );
    for (const w of [
      'deployment default/postgres',
      'deployment default/redis',
      'statefulset default/prestashop',
    ])
      assert.match(result.stdout, new RegExp(`scale ${w} from 1 to 0`));
    assert.match(result.stdout, /detach Linode volume pvc[0-9a-f]{16} \(\d+\) from Linode \d+ \(gone\)/);
    assert.match(result.stdout, /mounted again: /);
    assert.equal(recovered(h).ok, true, recovered(h).detail);
  });

  it('detached each volume once, after its workload was at 0, and touched nothing else', () => {
    assert.equal(detaches(h).length, 3);
    const mutations = h.mutations();
    const firstDetach = mutations.findIndex((r) => /\/detach$/.test(r.path));
    const scales = mutations.filter((r) => r.path.endsWith('/scale'));
    assert.equal(scales.length, 6, 'three down, three up');
    assert.ok(mutations.slice(0, firstDetach).filter((r) => r.path.endsWith('/scale')).length === 3);
    assert.ok(
      mutations.every((r) => r.path.endsWith('/scale') || /\/detach$/.test(r.path)),
      JSON.stringify(mutations.map((r) => r.path)),
    );
    assert.ok(!mutations.some((r) => /\/(site|bot)\//.test(r.path)));
  });

  it('run again, it finds nothing to reattach and sends no change', async () => {
    const before = h.mutations().length;
    const again = await runCli(['volume-reattach', '--yes'], { env: h.env() });
    assert.equal(again.exitCode, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /nothing to reattach/);
    assert.deepEqual(h.mutations().slice(before), []);
  });
});

describe('volume-reattach --dry-run on 2021-07-11', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('plans every step against the twin and sends no change', async () => {
    const result = await runCli(['volume-reattach', '--dry-run'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /DRY RUN: nothing will be changed/);
    assert.match(result.stdout, /scale deployment default\/redis from 1 to 0/);
    assert.match(result.stdout, /detach Linode volume pvc[0-9a-f]{16}/);
    assert.match(result.stdout, /scale statefulset default\/prestashop from 0 to 1/);
    assert.deepEqual(h.mutations(), []);
    assert.equal(recovered(h).ok, false);
  });
});

describe('volume-reattach when Linode will not let go of a volume', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    h.sim.world.faults.add({ kind: 'linode-event-fails', action: 'volume_detach' });
  });
  after(() => h.stop());

  it('stops cleanly, says the volume is still attached and what to do next', async () => {
    const result = await runCli(['volume-reattach', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 1, result.stderr + result.stdout);
    const out = result.stdout + result.stderr;
    assert.match(out, /Linode reports the detach of pvc[0-9a-f]{16} failed/);
    assert.match(out, /Linode still shows .* attached/);
    assert.match(out, /support ticket/);
  });
});

describe('volume-reattach when a pod is stuck terminating on a NotReady node', () => {
  let h: SimHarness;
  let node: string;
  const notReady = (): Fault => ({ kind: 'node-not-ready', node });
  let fault: Fault;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    const [postgres] = h.sim.world.kube
      .list('v1', 'Pod', 'default')
      .filter((p) => p.metadata.labels?.app === 'postgres');
    node = (postgres?.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    assert.notEqual(node, '');
    fault = notReady();
    h.sim.world.faults.add(fault);
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('removes the pods their kubelet will never finish, confirmed, before it detaches their volumes', async () => {
    const run = runCli(['volume-reattach', '--yes'], { env: h.env() });
    // The workloads are pinned to that node: once their volumes are free, it comes back (Linode
    // Support rebooted it that night) and they start there again.
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 60_000;
      const check = (): void => {
        if (detaches(h).length === 3) resolve();
        else if (Date.now() > deadline) reject(new Error('the volumes were never detached'));
        else setTimeout(check, 50);
      };
      check();
    });
    h.sim.world.faults.remove(fault);
    const result = await run;
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /force-delete pod default\/postgres-\S+ {2}\[destructive\]/);
    assert.match(
      result.stdout,
      /pod stuck terminating on \S+ → pod removed from the API without waiting for its kubelet/,
    );
    const changes = h.mutations();
    const deletes = changes
      .filter((r) => r.method === 'DELETE')
      .map((r) => r.path.replace(/-[a-z0-9]+-[a-z0-9]+$/, ''));
    assert.deepEqual(deletes.sort(), [
      '/api/v1/namespaces/default/pods/postgres',
      '/api/v1/namespaces/default/pods/prestashop-0',
      '/api/v1/namespaces/default/pods/redis',
    ]);
    // Each workload's stuck pod goes before its volume is detached.
    const order = changes.flatMap((r) =>
      r.method === 'DELETE'
        ? [r.path.replace(/^.*\/pods\/([a-z]+).*$/, '$1')]
        : /\/detach$/.test(r.path)
          ? ['detach']
          : [],
    );
    assert.deepEqual(order, ['postgres', 'detach', 'redis', 'detach', 'prestashop', 'detach']);
    await settle(h.sim.world);
    assert.equal(recovered(h).ok, true, recovered(h).detail);
  });
});

describe('volume-reattach on a healthy cluster', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('finds nothing and changes nothing', async () => {
    const result = await runCli(['volume-reattach', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /nothing to reattach/);
    assert.deepEqual(h.mutations(), []);
  });

  it('rejects a workload that does not mount a claim, in one sentence, exit 3', async () => {
    const result = await runCli(['volume-reattach', '--yes', '--workload', 'nosuch'], { env: h.env() });
    assert.equal(result.exitCode, 3, result.stderr + result.stdout);
    assert.match(result.stderr, /--workload nosuch: no Deployment or StatefulSet/);
  });
});

describe('runbook show volume-reattach', () => {
  it('explains its steps and parameters', async () => {
    const result = await runCli(['show', 'volume-reattach']);
    assert.equal(result.exitCode, 0, result.stderr);
    for (const text of [
      'Find the workloads',
      'Detach the volumes at Linode',
      '--detach-timeout',
      '2021-07-11',
    ])
      assert.match(result.stdout, new RegExp(text));
  });
});
