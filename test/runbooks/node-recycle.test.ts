// node-recycle end to end on the 2021-01-10 scenario (the primary NotReady, the secondary short of
// capacity): recycle through LKE or reboot, wait Ready, rebalance; again (idempotent); --dry-run; a
// node that never comes back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const SCENARIO = '2021-01-10-primary-kubernetes-node-outage';
const PRIMARY = 'lke13311-20304-5ffa4d0d8a1c';
const SECONDARY = 'lke13311-20304-5ffa4d11faab';

function recovered(h: SimHarness): { ok: boolean; detail: string } {
  const scenario = findScenario(SCENARIO);
  assert.ok(scenario !== undefined);
  return scenario.recovered(h.sim.world);
}

const node = (h: SimHarness, name: string) =>
  h.get<{ spec: { providerID: string; unschedulable?: boolean } }>('v1', 'Node', undefined, name);

describe('node-recycle on 2021-01-10, with --yes (LKE recycle)', () => {
  let h: SimHarness;
  let result: Awaited<ReturnType<typeof runCli>>;
  let linodeBefore: string | undefined;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    linodeBefore = node(h, PRIMARY)?.spec.providerID;
    result = await runCli(['node-recycle', '--yes', '--node', PRIMARY], { env: h.env() });
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('recycles the primary, waits by watch until it is Ready, rebalances, and the night is over', () => {
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /Ready=Unknown \(NodeStatusUnknown\)/);
    assert.match(
      result.stdout,
      new RegExp(`recycle LKE node ${PRIMARY} \\(\\d+-[0-9a-f]+\\) of cluster \\d+  \\[destructive\\]`),
    );
    assert.match(
      result.stdout,
      /wait until node lke13311-20304-5ffa4d0d8a1c is Ready on a new Linode \(not \d+\)/,
    );
    assert.match(result.stdout, /node lke13311-20304-5ffa4d0d8a1c is Ready on linode:\/\/\d+/);
    assert.match(result.stdout, new RegExp(`${SECONDARY} carries the most pods`));
    assert.match(
      result.stdout,
      /left in place: default\/postgres-[a-z0-9-]+ \(PodDisruptionBudget default\/postgres/,
    );
    assert.match(result.stdout, new RegExp(`moved: .* on ${PRIMARY}`));
    assert.match(result.stdout, /no volume was left on the old Linode/);
    assert.notEqual(node(h, PRIMARY)?.spec.providerID, linodeBefore);
    assert.equal(node(h, PRIMARY)?.spec.unschedulable ?? false, false);
    assert.equal(node(h, SECONDARY)?.spec.unschedulable ?? false, false);
    assert.equal(recovered(h).ok, true, recovered(h).detail);
  });

  it('sent one recycle, and evictions only from the node that took the load', () => {
    const mutations = h.mutations();
    assert.equal(
      mutations.filter((r) => /\/v4\/lke\/clusters\/\d+\/nodes\/[^/]+\/recycle$/.test(r.path)).length,
      1,
    );
    assert.ok(!mutations.some((r) => r.path.includes('postgres') && r.path.endsWith('/eviction')));
    assert.equal(
      mutations.filter((r) => r.method === 'PATCH' && r.path.startsWith('/api/v1/nodes/')).length,
      4,
    );
  });

  it('run again, the node is Ready: nothing is planned, nothing is sent', async () => {
    const before = h.mutations().length;
    const again = await runCli(['node-recycle', '--yes', '--node', PRIMARY], { env: h.env() });
    assert.equal(again.exitCode, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /is Ready: nothing to recycle/);
    assert.deepEqual(h.mutations().slice(before), []);
  });
});

describe('node-recycle --method reboot on 2021-01-10', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('reboots the Linode as on the night, and the cluster recovers', async () => {
    const linode = node(h, PRIMARY)?.spec.providerID.replace('linode://', '');
    const result = await runCli(['node-recycle', '--yes', '--node', PRIMARY, '--method', 'reboot'], {
      env: h.env(),
    });
    await settle(h.sim.world);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, new RegExp(`reboot Linode ${PRIMARY} \\(${linode ?? ''}\\)`));
    assert.equal(
      h.mutations().filter((r) => r.path === `/v4/linode/instances/${linode ?? ''}/reboot`).length,
      1,
    );
    assert.equal(recovered(h).ok, true, recovered(h).detail);
  });
});

describe('node-recycle --dry-run on 2021-01-10', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('plans the drain, the recycle and the rebalance on the twin and changes nothing', async () => {
    const result = await runCli(['node-recycle', '--dry-run', '--node', PRIMARY], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /DRY RUN: nothing will be changed/);
    assert.match(result.stdout, /Ready=Unknown/);
    // The LKE node id the live pool lists (18001-…), not one guessed from the Linode's label (20304-…).
    assert.match(result.stdout, /recycle LKE node lke13311-20304-5ffa4d0d8a1c \(18001-[0-9a-f]+\)/);
    assert.match(result.stdout, /modelled +recycle LKE node/);
    assert.match(result.stdout, new RegExp(`uncordon node ${SECONDARY}`));
    assert.deepEqual(h.mutations(), []);
    assert.equal(recovered(h).ok, false);
  });
});

describe('node-recycle when the node never comes back Ready', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    h.sim.world.faults.add({ kind: 'node-not-ready', node: PRIMARY });
  });
  after(() => h.stop());

  it('stops at its bound, saying what Linode reports and what to try next', async () => {
    const result = await runCli(
      ['node-recycle', '--yes', '--node', PRIMARY, '--method', 'reboot', '--ready-timeout', '2'],
      { env: h.env() },
    );
    assert.equal(result.exitCode, 6, result.stderr + result.stdout);
    assert.match(result.stderr, /Gave up after 2s: node lke13311-20304-5ffa4d0d8a1c is Ready=Unknown/);
    assert.match(
      result.stderr,
      /linode_reboot event \d+ is finished \(100%\): the Linode is back but its kubelet is not; .*--method recycle/,
    );
  });
});

describe('node-recycle when the old Linode keeps its volumes (an unclean end, as on 2021-07-11)', () => {
  let h: SimHarness;
  let failed: string;
  before(async () => {
    // A quiet cluster whose Postgres node stops answering: its volume is attached to that node's Linode.
    h = await startSimHarness('healthy');
    const pod = h.sim.world.kube
      .list('v1', 'Pod', 'default')
      .find((p) => p.metadata.labels?.app === 'postgres');
    failed = (pod?.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
    h.sim.world.faults.add({ kind: 'node-not-ready', node: failed, untilReboot: true });
    h.sim.world.faults.add({ kind: 'lke-recycle-leaves-volumes' });
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('names the volumes left behind and gives volume-reattach as the next action, which then recovers the night', async () => {
    const result = await runCli(['node-recycle', '--yes', '--node', failed, '--rebalance', 'skip'], {
      env: h.env(),
    });
    assert.equal(result.exitCode, 1, result.stderr + result.stdout);
    assert.match(result.stderr, /Linode still shows pvc[0-9a-f]{16}.* attached to the old Linode \d+/);
    assert.match(result.stderr, /Next: runbook volume-reattach/);
    const reattach = await runCli(['volume-reattach', '--yes'], { env: h.env() });
    assert.equal(reattach.exitCode, 0, reattach.stderr + reattach.stdout);
    await settle(h.sim.world);
    const healthy = findScenario('healthy')?.recovered(h.sim.world);
    assert.equal(healthy?.ok, true, healthy?.detail);
  });
});

describe('node-recycle on a Ready node', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('says so and changes nothing', async () => {
    const result = await runCli(['node-recycle', '--yes', '--node', 'lke13311-16405-5fafd1b46dcf'], {
      env: h.env(),
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /is Ready: nothing to recycle \(to empty a healthy node, use node-drain\)/);
    assert.deepEqual(h.mutations(), []);
  });
});

describe('runbook show node-recycle', () => {
  it('explains its steps and parameters', async () => {
    const result = await runCli(['show', 'node-recycle']);
    assert.equal(result.exitCode, 0, result.stderr);
    for (const text of [
      '--method',
      '--ready-timeout',
      '--rebalance',
      'Recycle the node through LKE',
      'volume-reattach',
    ])
      assert.match(result.stdout, new RegExp(text));
  });
});
