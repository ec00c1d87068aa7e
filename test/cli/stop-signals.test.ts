// SIGTERM and SIGHUP end a run as Ctrl-C does: in the middle of a wait, the run stops, its journal
// ends `interrupted` (naming the signal), `history` says so, the cluster lock is released, the exit
// code is 143 or 129, and `runbook resume` carries the run on to the end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { readJournal } from '../../src/engine/journal.js';
import { BIN, ROOT, TEST_STATE_DIR, runCli } from '../helpers/cli.js';
import { startSimHarness, readyReplicas } from '../helpers/sim.js';

const CASES = [
  { signal: 'SIGTERM', exitCode: 143, said: /Terminated \(SIGTERM\): stopped before the next action/ },
  {
    signal: 'SIGHUP',
    exitCode: 129,
    said: /The terminal hung up \(SIGHUP\): stopped before the next action/,
  },
] as const;

describe('a run stopped by a signal', () => {
  for (const { signal, exitCode, said } of CASES) {
    it(`${signal}: exit ${exitCode}, journaled as interrupted, lock released, resumable`, async () => {
      const h = await startSimHarness('2020-12-11-postgres-conn-surge', 1);
      try {
        const child = execa(process.execPath, [BIN, 'postgres-remount', '--yes', '--backup', 'skip'], {
          env: h.env(),
          extendEnv: false,
          reject: false,
          cwd: ROOT,
          timeout: 60_000,
        });
        let stdout = '';
        let sent = false;
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          if (!sent && /1 pod left: postgres-\S+ Terminating/.test(stdout)) {
            sent = true;
            child.kill(signal);
          }
        });
        const ended = await child;
        const output = `${ended.stderr}\n${stdout}`;
        assert.ok(sent, `the run ended before the wait:\n${output}`);
        assert.equal(ended.exitCode, exitCode, output);
        assert.match(ended.stderr, said);
        const runId = /run {6}(\S+)/.exec(stdout)?.[1];
        assert.ok(runId !== undefined, output);
        assert.match(ended.stderr, new RegExp(`runbook resume ${runId}`));

        const end = readJournal(TEST_STATE_DIR, runId).filter((r) => r.type === 'end');
        assert.equal(end.length, 1);
        assert.deepEqual(
          end.map((r) => (r.type === 'end' ? { status: r.status, signal: r.signal } : {})),
          [{ status: 'interrupted', signal }],
        );
        const history = await runCli(['history'], { env: h.env() });
        assert.equal(history.exitCode, 0, history.stderr);
        assert.match(history.stdout, new RegExp(`${runId}\\s+interrupted\\s+postgres-remount`));

        // Taken (POST), then released: the Lease deleted, so the next operator finds no lock.
        assert.ok(
          h.locks().some((r) => r.method === 'POST' && r.status < 300),
          'the run took the lock',
        );
        assert.ok(
          h.locks().some((r) => r.method === 'DELETE' && r.status < 300),
          'and released it',
        );
        assert.equal(h.get('coordination.k8s.io/v1', 'Lease', 'default', 'runbook-lock'), undefined);

        h.sim.world.clock.setSpeed('instant');
        const resumed = await runCli(['resume', runId, '--yes'], { env: h.env() });
        assert.equal(resumed.exitCode, 0, resumed.stderr + resumed.stdout);
        assert.equal(readyReplicas(h), 1);
      } finally {
        await h.stop();
      }
    });
  }
});
