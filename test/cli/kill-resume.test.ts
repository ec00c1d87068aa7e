// A laptop that dies: kill -9 at each step boundary and in the middle of a wait, then resume. The
// run finishes, and no change reached the cluster twice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { BIN, ROOT, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness, readyReplicas } from '../helpers/sim.js';

/** Runs postgres-remount --yes and kills it -9 when its output first matches `when`; returns the run id. */
async function runAndKill(h: SimHarness, when: RegExp): Promise<string> {
  const child = execa(process.execPath, [BIN, 'postgres-remount', '--yes', '--backup', 'skip'], {
    env: h.env(),
    extendEnv: false,
    reject: false,
    cwd: ROOT,
    timeout: 60_000,
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (when.test(stdout)) child.kill('SIGKILL');
  });
  const ended = await child;
  assert.equal(ended.signal, 'SIGKILL', `the run ended before it could be killed:\n${stdout}`);
  const runId = /run {6}(\S+)/.exec(stdout)?.[1];
  assert.ok(runId !== undefined, stdout);
  return runId;
}

function assertDoneOnce(h: SimHarness): void {
  const applied = (method: string, pattern: RegExp): number =>
    h.mutations().filter((r) => r.method === method && pattern.test(r.path) && r.status < 300).length;
  assert.equal(applied('PATCH', /\/deployments\/postgres\/scale$/), 2, 'scaled down once and up once');
  assert.equal(applied('DELETE', /\/pods\/postgres-/), 1, 'the stuck pod force-deleted once');
  assert.equal(applied('POST', /^\/v4\/volumes\/\d+\/detach$/), 1, 'the volume detached once');
  assert.equal(readyReplicas(h), 1);
}

describe('kill -9, then resume', () => {
  for (const step of [1, 2, 3, 4, 5, 6]) {
    it(`after step ${step} finished`, async () => {
      const h = await startSimHarness('2020-12-11-postgres-conn-surge');
      try {
        const runId = await runAndKill(h, new RegExp(`✔ ${step}\\. `));
        const resumed = await runCli(['resume', runId, '--yes'], { env: h.env() });
        assert.equal(resumed.exitCode, 0, resumed.stderr + resumed.stdout);
        assertDoneOnce(h);
      } finally {
        await h.stop();
      }
    });
  }

  it('in the middle of a wait', async () => {
    const h = await startSimHarness('2020-12-11-postgres-conn-surge', 1);
    try {
      const runId = await runAndKill(h, /1 pod left: postgres-\S+ Terminating/);
      h.sim.world.clock.setSpeed('instant');
      const resumed = await runCli(['resume', runId, '--yes'], { env: h.env() });
      assert.equal(resumed.exitCode, 0, resumed.stderr + resumed.stdout);
      assert.match(resumed.stdout, /already down/);
      assertDoneOnce(h);
    } finally {
      await h.stop();
    }
  });
});
