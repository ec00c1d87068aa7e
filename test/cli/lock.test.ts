// The cluster lock: two operators starting the same recovery at the same moment, a lock left by a
// dead run (taken over only by naming its holder, typed or in the flag), and what a second person is told.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { BIN, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { firstNode, microTime, plantLease } from '../helpers/stale-lock.js';
import { type Terminal, hasTmux, openTerminal } from '../helpers/terminal.js';

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

interface PlantedLease {
  metadata: { resourceVersion?: string };
  spec: { holderIdentity: string; renewTime: string };
}

const lease = (h: SimHarness): PlantedLease | undefined =>
  h.get<PlantedLease>('coordination.k8s.io/v1', 'Lease', 'default', 'runbook-lock');

/** Makes the planted lease stale: its holder stopped renewing it ten minutes ago. */
function makeStale(h: SimHarness): void {
  const found = lease(h);
  assert.ok(found !== undefined);
  h.sim.world.kube.restore({
    ...(found as unknown as Parameters<typeof h.sim.world.kube.restore>[0]),
    spec: { ...found.spec, renewTime: microTime(Date.now() - 600_000) },
  });
}

describe('a lock left by a run that died', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('a live lock stops the run even with --break-lock, bare or naming its holder', async () => {
    plantLease(h, 5_000);
    for (const flag of ['--break-lock', '--break-lock=joe@laptop']) {
      const result = await runCli(['postgres-remount', '--yes', flag], { env: h.env() });
      assert.equal(result.exitCode, EXIT_CODES.locked, result.stderr);
      assert.match(
        result.stderr,
        /joe@laptop holds the cluster lock for postgres-remount \(run 20210711-010100-postgres-remount-dead\)/,
      );
    }
    assert.deepEqual(h.mutations(), []);
  });

  it('a stale one is not taken over by --yes: the refusal names the flag that would', async () => {
    makeStale(h);
    const refused = await runCli(['node-uncordon', '--yes', '--node', firstNode(h)], { env: h.env() });
    assert.equal(refused.exitCode, EXIT_CODES.locked, refused.stderr);
    assert.match(
      refused.stderr,
      /stopped renewing it: if it is dead, take the lock over with --break-lock=joe@laptop\./,
    );
  });

  it('unattended, a bare --break-lock refuses in one sentence (exit 10) and changes nothing', async () => {
    const before = { lease: lease(h), locks: h.locks().length, mutations: h.mutations().length };
    const result = await runCli(['node-uncordon', '--yes', '--break-lock', '--node', firstNode(h)], {
      env: h.env(),
    });
    assert.equal(result.exitCode, EXIT_CODES['needs-terminal'], result.stderr + result.stdout);
    assert.match(
      result.stderr,
      /^✖ Taking over the stale cluster lock of joe@laptop needs its holder's name typed and there is no terminal: pass --break-lock=joe@laptop\.$/m,
    );
    assert.deepEqual(lease(h), before.lease);
    assert.equal(h.locks().length, before.locks);
    assert.equal(h.mutations().length, before.mutations);
  });

  it('a --break-lock naming someone else refuses (exit 4), names the real holder, and changes nothing', async () => {
    const before = { lease: lease(h), locks: h.locks().length, mutations: h.mutations().length };
    const result = await runCli(
      ['node-uncordon', '--yes', '--break-lock=alice@desk', '--node', firstNode(h)],
      { env: h.env() },
    );
    assert.equal(result.exitCode, EXIT_CODES.declined, result.stderr + result.stdout);
    assert.match(
      result.stderr,
      /--break-lock names alice@desk, but the cluster lock is held by joe@laptop \(postgres-remount, run 20210711-010100-postgres-remount-dead\): left as it is\./,
    );
    assert.deepEqual(lease(h), before.lease);
    assert.equal(h.locks().length, before.locks);
    assert.equal(h.mutations().length, before.mutations);
  });

  it('--break-lock <holder> naming the holder takes it over, unattended, and the run goes on', async () => {
    const taken = await runCli(
      ['node-uncordon', '--yes', '--break-lock', 'joe@laptop', '--node', firstNode(h)],
      { env: h.env() },
    );
    assert.equal(taken.exitCode, 0, taken.stderr);
    assert.match(taken.stdout, /lock {5}default\/runbook-lock, held by this run until it ends/);
    assert.equal(lease(h), undefined, 'released at the end');
  });

  it('dry runs take no lock', async () => {
    plantLease(h, 1_000);
    const before = h.locks().length;
    const result = await runCli(['postgres-remount', '--dry-run'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(h.locks().length, before);
  });
});

describe(
  'taking over a stale lock in a terminal',
  { skip: hasTmux ? false : 'tmux is not installed' },
  () => {
    let h: SimHarness;
    let terminal: Terminal | undefined;
    before(async () => {
      h = await startSimHarness('healthy');
      plantLease(h, 600_000);
    });
    after(async () => {
      terminal?.close();
      await h.stop();
    });

    const question =
      /Destructive: take over the stale cluster lock of joe@laptop \(postgres-remount, run 20210711-010100-postgres-remount-dead\)\.\n\s+Type joe@laptop to confirm:/;

    it("asks for the holder's name even with --yes, as a destructive step does; three wrong names leave the lock (exit 4)", async () => {
      const before = lease(h);
      terminal = openTerminal(
        [process.execPath, BIN, 'node-uncordon', '--yes', '--break-lock', '--node', firstNode(h)],
        h.env(),
      );
      await terminal.waitFor(question);
      terminal.answer('joe');
      await terminal.waitFor('That is not joe@laptop (try 2 of 3).');
      terminal.answer('joe@laptp');
      await terminal.waitFor('That is not joe@laptop (try 3 of 3).');
      terminal.answer('jo');
      assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
      assert.match(terminal.screen(), /Left the cluster lock with joe@laptop: not confirmed/);
      assert.deepEqual(lease(h), before);
      terminal.close();
      terminal = undefined;
    });

    it("the holder's name typed takes it over and the run goes on", async () => {
      terminal = openTerminal(
        [process.execPath, BIN, 'node-uncordon', '--yes', '--break-lock', '--node', firstNode(h)],
        h.env(),
      );
      await terminal.waitFor(question);
      terminal.answer('joe@laptp');
      await terminal.waitFor('That is not joe@laptop (try 2 of 3).');
      terminal.answer('joe@laptop');
      assert.equal(await terminal.waitForExit(), 0, terminal.screen());
      assert.match(terminal.screen(), /✔ node-uncordon finished/);
      assert.match(
        terminal.screen(),
        /lock {5}\S+, held by this run until it ends \(taken over: it was stale\)/,
      );
      // Repeated at the end, where the operator looks once the run is over.
      assert.match(
        terminal.screen(),
        /^ {2}Warnings:\n {4}! The stale cluster lock of joe@laptop \(\S+, run \S+\) was taken over: make sure that run is dead\.$/m,
      );
      assert.equal(lease(h), undefined, 'taken over, then released at the end');
    });
  },
);
