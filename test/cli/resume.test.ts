// Ctrl-C in the middle of a wait, then `runbook resume`: finished steps are not repeated, the
// interrupted one is planned again against the cluster as it is, and no action is applied twice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness, readyReplicas } from '../helpers/sim.js';

describe('interrupting and resuming a run', () => {
  let h: SimHarness;
  before(async () => {
    // Real time, so the run is still waiting for the pod when Ctrl-C comes.
    h = await startSimHarness('2020-12-11-postgres-conn-surge', 1);
  });
  after(() => h.stop());

  it('Ctrl-C stops at the wait, exits 130 and says how to resume; resume finishes the job once', async () => {
    const child = execa(process.execPath, [BIN, 'postgres-remount', '--yes'], {
      env: h.env(),
      extendEnv: false,
      reject: false,
      cwd: ROOT,
      timeout: 60_000,
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      // Ctrl-C on every line from then on, as an impatient user presses it: the later ones land while
      // the run releases its lock, and must not kill it there (the resume below needs the lock free).
      if (/1 pod left: postgres-\S+ Terminating/.test(stdout)) child.kill('SIGINT');
    });
    const interrupted = await child;
    assert.equal(interrupted.exitCode, 130, interrupted.stderr + stdout);
    assert.match(interrupted.stderr, /Interrupted by Ctrl-C: stopped before the next action/);
    const runId = /runbook resume (\S+)`/.exec(interrupted.stderr)?.[1];
    assert.ok(runId !== undefined, interrupted.stderr);
    const scaleDowns = (): number =>
      h.mutations().filter((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/postgres/scale'))
        .length;
    assert.equal(scaleDowns(), 1);

    h.sim.world.clock.setSpeed('instant');
    const resumed = await runCli(['resume', runId, '--yes'], { env: h.env() });
    assert.equal(resumed.exitCode, 0, resumed.stderr + resumed.stdout);
    assert.match(resumed.stdout, new RegExp(`run {6}${runId} \\(resumed\\)`));
    assert.match(resumed.stdout, /1\. Locate Postgres.*\(done before the resume\)/);
    assert.match(resumed.stdout, /deployment default\/postgres is already down/);
    assert.equal(
      scaleDowns(),
      2,
      'one scale down before Ctrl-C, one scale up after the resume: none repeated',
    );
    assert.equal(readyReplicas(h), 1);

    const again = await runCli(['resume', runId, '--yes'], { env: h.env() });
    assert.equal(again.exitCode, 2);
    assert.match(again.stderr, /already finished; there is nothing to resume/);
  });
});
