// The cluster lock: two operators starting the same recovery at the same moment, a lock left by a
// dead run, and what a second person is told.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

function plantLease(h: SimHarness, renewedMsAgo: number): void {
  h.sim.world.kube.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: 'runbook-lock',
      namespace: 'default',
      annotations: {
        'runbook.dev/runbook': 'postgres-remount',
        'runbook.dev/run-id': '20210711-010100-postgres-remount-dead',
      },
    },
    spec: {
      holderIdentity: 'joe@laptop',
      leaseDurationSeconds: 60,
      acquireTime: microTime(Date.now() - renewedMsAgo - 60_000),
      renewTime: microTime(Date.now() - renewedMsAgo),
    },
  });
}

describe('two operators at the same moment', () => {
  let h: SimHarness;
  before(async () => {
    // A clock at twice real time: the winner's run lasts seconds, far longer than the two processes'
    // start-up differs, so the runs truly overlap (at full speed one could finish first).
    h = await startSimHarness('healthy', 2);
  });
  after(() => h.stop());

  it('exactly one proceeds; the other is told who holds the lock, and nothing of its own ran', async () => {
    const [a, b] = await Promise.all([
      runCli(['postgres-remount', '--yes'], { env: h.env() }),
      runCli(['postgres-remount', '--yes'], { env: h.env() }),
    ]);
    const codes = [a.exitCode, b.exitCode].sort();
    assert.deepEqual(codes, [EXIT_CODES.ok, EXIT_CODES.locked], a.stderr + b.stderr);
    const loser = a.exitCode === EXIT_CODES.locked ? a : b;
    assert.match(loser.stderr, /✖ \S+@\S+ holds the cluster lock for postgres-remount \(run \S+\)/);
    assert.match(loser.stderr, /talk to them/);
    const scales = h.mutations().filter((r) => r.path.endsWith('/scale'));
    assert.equal(scales.length, 2, 'one scale down and one up: the run that lost changed nothing');
    assert.equal(
      h.get('coordination.k8s.io/v1', 'Lease', 'default', 'runbook-lock'),
      undefined,
      'released at the end',
    );
  });
});

describe('a lock left by a run that died', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('a live lock stops the run even with --break-lock', async () => {
    plantLease(h, 5_000);
    const result = await runCli(['postgres-remount', '--yes', '--break-lock'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES.locked);
    assert.match(
      result.stderr,
      /joe@laptop holds the cluster lock for postgres-remount \(run 20210711-010100-postgres-remount-dead\)/,
    );
    assert.deepEqual(h.mutations(), []);
  });

  it('a stale one is taken over only when asked, and then the run goes on', async () => {
    await runCli(['postgres-remount', '--yes', '--break-lock'], { env: h.env() });
    const lease = h.get<{ spec: { renewTime: string } }>(
      'coordination.k8s.io/v1',
      'Lease',
      'default',
      'runbook-lock',
    );
    assert.ok(lease !== undefined);
    // Make the planted lease stale: its holder stopped renewing ten minutes ago.
    h.sim.world.kube.restore({
      ...(lease as unknown as Parameters<typeof h.sim.world.kube.restore>[0]),
      spec: { ...lease.spec, renewTime: microTime(Date.now() - 600_000) },
    });
    const refused = await runCli(['postgres-remount', '--yes'], { env: h.env() });
    assert.equal(refused.exitCode, EXIT_CODES.locked);
    assert.match(refused.stderr, /stopped renewing it: if it is dead, take the lock over with --break-lock/);

    const taken = await runCli(['postgres-remount', '--yes', '--break-lock'], { env: h.env() });
    assert.equal(taken.exitCode, 0, taken.stderr);
    assert.match(taken.stdout, /lock {5}default\/runbook-lock, held by this run until it ends/);
  });

  it('dry runs take no lock', async () => {
    plantLease(h, 1_000);
    const before = h.locks().length;
    const result = await runCli(['postgres-remount', '--dry-run'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(h.locks().length, before);
  });
});
