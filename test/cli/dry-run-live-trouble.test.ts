// A dry run in the middle of an incident: what the live cluster shows stuck (a pod its kubelet will
// not kill, an attachment the CSI driver will not release, a device that never appears on its node)
// stays stuck in the twin, so the dry run plans the recovery the real run then performs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readJournal } from '../../src/engine/journal.js';
import { TEST_STATE_DIR, type CliResult, runCli } from '../helpers/cli.js';
import { type ScenarioHarness, startScenario } from '../sim/scenarios/providers.js';

const postgres = { namespace: 'default', kind: 'Deployment', name: 'postgres' } as const;

function plannedActions(result: CliResult): string[] {
  const runId = /^ {2}run {6}(\S+)/m.exec(result.stdout)?.[1];
  assert.ok(runId !== undefined, `no run id in:\n${result.stdout}${result.stderr}`);
  return readJournal(TEST_STATE_DIR, runId).flatMap((r) =>
    r.type === 'plan' ? r.actions.map((a) => `${r.step}: ${a.kind} ${a.title}`) : [],
  );
}

/** 2020-12-11 after someone took Postgres down by hand: its pod stuck terminating, its volume held. */
async function afterTakeDown(): Promise<ScenarioHarness> {
  const s = await startScenario('2020-12-11-postgres-conn-surge');
  await s.write.kube.scale(postgres, 0);
  await s.settle();
  return s;
}

describe('postgres-remount --dry-run after Postgres was taken down and its pod got stuck', () => {
  let dry: CliResult;
  let real: CliResult;
  before(async () => {
    const [a, b] = await Promise.all([afterTakeDown(), afterTakeDown()]);
    try {
      const stuck = a.h.sim.world.kube
        .list('v1', 'Pod', 'default')
        .filter((p) => p.metadata.labels?.app === 'postgres');
      assert.equal(stuck.length, 1);
      assert.ok(stuck[0]?.metadata.deletionTimestamp !== undefined, 'the pod is not terminating live');
      [dry, real] = await Promise.all([
        runCli(['postgres-remount', '--dry-run'], { env: a.h.env() }),
        runCli(['postgres-remount', '--yes'], { env: b.h.env() }),
      ]);
      assert.deepEqual(
        a.h.mutations().filter((r) => !r.path.endsWith('/scale')),
        [],
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('plans the force-delete of the pod live shows stuck, as the real run does', () => {
    assert.equal(dry.exitCode, 0, dry.stderr + dry.stdout);
    assert.equal(real.exitCode, 0, real.stderr + real.stdout);
    const planned = plannedActions(dry);
    const live = plannedActions(real);
    assert.ok(
      planned.some((a) =>
        /^force-delete-stuck-pods: k8s\.force-delete-pod force-delete pod default\/postgres-/.test(a),
      ),
      planned.join('\n'),
    );
    // The CSI driver's failure to detach shows only once the pod is gone (no detachError before it):
    // that part stays for the real run to meet, as in dry-run-matches-live.test.ts.
    const unforeseeable = (a: string): boolean => a.startsWith('detach-volume:');
    assert.ok(live.some(unforeseeable));
    assert.deepEqual(
      planned,
      live.filter((a) => !unforeseeable(a)),
    );
  });
});

describe('volume-reattach --dry-run when a device never appears on the node that has the volume', () => {
  let s: ScenarioHarness;
  let result: CliResult;
  before(async () => {
    s = await startScenario('healthy');
    s.h.sim.world.faults.add({
      kind: 'volume-device-missing',
      namespace: 'default',
      pvc: 'postgres-storage',
    });
    // A restart of Postgres meets the fault: attached at Linode to the right Linode, never mounted.
    await s.write.kube.scale(postgres, 0);
    await s.settle();
    await s.write.kube.scale(postgres, 1);
    await s.settle();
    result = await runCli(['volume-reattach', '--dry-run'], { env: s.h.env() });
  });
  after(() => s.stop());

  it('finds the workload from its FailedMount events, and predicts the mount still fails after its restart', () => {
    assert.equal(result.exitCode, 6, result.stderr + result.stdout);
    assert.match(
      result.stdout,
      /FailedMount: MountVolume\.MountDevice failed for volume "pvc-[0-9a-f]+" : .*Unable to find device path/,
    );
    assert.doesNotMatch(result.stdout, /nothing to reattach/);
    // The CSI driver detaches the volume when Postgres goes to 0, so there is nothing to detach by hand.
    assert.deepEqual(plannedActions(result), [
      'scale-down: k8s.scale scale deployment default/postgres from 1 to 0',
      'scale-up: k8s.scale scale deployment default/postgres from 0 to 1',
    ]);
    assert.match(
      result.stderr,
      /Dry run: live, step "Scale the workloads back up" would wait up to \d+ s and fail: .*postgres-\S+ Pending \(ContainerCreating\) — FailedMount: .*Unable to find device path/,
    );
    assert.deepEqual(
      s.h.mutations().filter((r) => !r.path.endsWith('/scale')),
      [],
    );
  });
});
