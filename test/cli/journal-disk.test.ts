// The state directory on a real small file system (a tmpfs the test mounts): read-only, nearly full
// before the run, and filled in the middle of one. The run must never crash after changing the
// cluster: it refuses before the first change, or stops at the next action boundary saying what it
// changed and how to resume.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness, readyReplicas } from '../helpers/sim.js';

const mounted: string[] = [];

/** A tmpfs of `size` (e.g. "2m"), or undefined where this user may not mount one. */
function tmpfs(size: string, options = ''): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-tmpfs-'));
  const opts = ['size=' + size, ...(options === '' ? [] : [options])].join(',');
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir]);
  if (result.status !== 0) return undefined;
  mounted.push(dir);
  return dir;
}

/** Writes zeros until the file system says it is full, down to its last page. */
function fill(dir: string): string {
  const filler = join(dir, 'filler');
  for (const size of [64 * 1024, 4096, 1]) {
    const block = Buffer.alloc(size);
    try {
      for (let i = 0; i < 100_000; i++) writeFileSync(filler, block, { flag: 'a' });
      assert.fail('the tmpfs never filled');
    } catch (error) {
      assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
    }
  }
  return filler;
}

const canMount = userInfo().uid === 0 && tmpfs('64k') !== undefined;
const skip = canMount ? false : 'needs root to mount a tmpfs';

describe('a state directory that cannot keep the journal', { skip }, () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(async () => {
    await h.stop();
    for (const dir of mounted) spawnSync('umount', ['-l', dir]);
  });

  it('read-only: exit 16 before the first change, naming the directory', async () => {
    const state = tmpfs('2m', 'ro');
    assert.ok(state !== undefined);
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env({ RUNBOOK_STATE_DIR: state }) });
    assert.equal(result.exitCode, EXIT_CODES['journal-failed'], result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`✖ Cannot keep a journal in ${state}/runs \\(EROFS\\): nothing was changed\\.`),
    );
    assert.match(result.stderr, /RUNBOOK_STATE_DIR/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.locks(), [], 'not even the lock was taken');
  });

  it('nearly full: exit 16 before the first change', async () => {
    const state = tmpfs('1m');
    assert.ok(state !== undefined);
    fill(state);
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env({ RUNBOOK_STATE_DIR: state }) });
    assert.equal(result.exitCode, EXIT_CODES['journal-failed'], result.stderr);
    assert.match(result.stderr, /✖ Cannot keep a journal in .*: nothing was changed\./);
    assert.deepEqual(h.mutations(), []);
  });

  it('a dry run goes on, unrecorded, and says so', async () => {
    const state = tmpfs('2m', 'ro');
    assert.ok(state !== undefined);
    const result = await runCli(['postgres-remount', '--dry-run'], {
      env: h.env({ RUNBOOK_STATE_DIR: state }),
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stderr, /! Cannot keep a journal in .* \(EROFS\): this dry run is not recorded\./);
    assert.deepEqual(h.mutations(), []);
  });
});

describe('the state directory fills up in the middle of a run', { skip }, () => {
  let h: SimHarness;
  before(async () => {
    // Near real time (the pod's 30 s grace period takes 6 s), so the run is still waiting for the pod
    // when the disk fills.
    h = await startSimHarness('2020-12-11-postgres-conn-surge', 5);
  });
  after(async () => {
    await h.stop();
    for (const dir of mounted) spawnSync('umount', ['-l', dir]);
  });

  it('stops at the next boundary, prints what it changed and how to resume; resume then finishes', async () => {
    const state = tmpfs('2m');
    assert.ok(state !== undefined);
    const child = execa(process.execPath, [BIN, 'postgres-remount', '--yes'], {
      // A wait still running after 1 s is journaled: the first line written to a full disk.
      env: h.env({ RUNBOOK_STATE_DIR: state, RUNBOOK_LONG_WAIT_SECONDS: '1' }),
      extendEnv: false,
      reject: false,
      cwd: ROOT,
      timeout: 60_000,
    });
    let stdout = '';
    let filler: string | undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (filler === undefined && /1 pod left: postgres-\S+ Terminating/.test(stdout)) filler = fill(state);
    });
    const stopped = await child;
    assert.ok(filler !== undefined, 'the disk was filled while the run waited');
    assert.equal(stopped.exitCode, EXIT_CODES['journal-failed'], stopped.stderr + stdout);
    // tmpfs fills by pages: the journal's own last page still takes a few lines, so the run stops at
    // the first boundary after a line no longer fits. What it printed must be exactly what was sent.
    const printed = /Changed before it stopped \((\d+)\):\n((?: {2}✓ .*\n)+)/.exec(stopped.stderr);
    assert.ok(printed !== null, stopped.stderr);
    const changed = (printed[2] ?? '').trimEnd().split('\n');
    assert.equal(changed.length, Number(printed[1]));
    assert.match(
      changed[0] ?? '',
      /✓ scale deployment default\/postgres from 1 to 0 {3}\(kubectl -n default scale/,
    );
    assert.equal(h.mutations().length, changed.length, 'every change sent is printed, and no other');
    assert.match(
      stopped.stderr,
      new RegExp(
        `✖ The journal in ${state}/runs could not be written \\(ENOSPC\\): the run stopped before its next change\\.`,
      ),
    );
    assert.doesNotMatch(stopped.stderr, /Unexpected error|\n\s+at /);
    const runId = /runbook resume (\S+)`/.exec(stopped.stderr)?.[1];
    assert.ok(runId !== undefined, stopped.stderr);
    assert.equal(h.locks().at(-1)?.method, 'DELETE', 'the lock was released');

    rmSync(filler);
    h.sim.world.clock.setSpeed('instant');
    const resumed = await runCli(['resume', runId, '--yes'], { env: h.env({ RUNBOOK_STATE_DIR: state }) });
    assert.equal(resumed.exitCode, 0, resumed.stderr + resumed.stdout);
    assert.equal(readyReplicas(h), 1);
    const journal = readFileSync(join(state, 'runs', `${runId}.jsonl`), 'utf8');
    assert.match(journal, /"type":"end","status":"finished"/);
    assert.ok(
      readdirSync(join(state, 'runs')).every((f) => !f.startsWith('.probe')),
      'no probe left behind',
    );
  });
});
