// A run that failed, undid its changes (--yes answers the undo too), then is resumed: a step that was
// undone is no longer done, nor is any step after it, so the resume plans them again instead of
// skipping them and tripping over the state the undo brought back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import type { Fault } from '../../src/sim/world.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness, readyReplicas } from '../helpers/sim.js';

const SCALE = '/apis/apps/v1/namespaces/default/deployments/postgres/scale';

describe('postgres-remount: a detach refused, the take-down undone, then resumed', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  it('takes Postgres down again on resume, and finishes', async () => {
    const refuse: Fault = {
      kind: 'api-error',
      api: 'linode',
      method: 'POST',
      pathPattern: '/detach$',
      status: 400,
      rate: 1,
    };
    h.sim.world.faults.add(refuse);
    const failed = await runCli(['postgres-remount', '--yes', '--backup', 'skip'], { env: h.env() });
    assert.equal(failed.exitCode, EXIT_CODES['step-failed'], failed.stderr + failed.stdout);
    assert.match(failed.stdout, /Undo: Take Postgres down[\s\S]*undone/);
    const runId = /runbook resume (\S+)`/.exec(failed.stderr)?.[1];
    assert.ok(runId !== undefined, failed.stderr);
    h.sim.world.faults.remove(refuse);

    const resumed = await runCli(['resume', runId, '--yes'], { env: h.env() });
    assert.equal(resumed.exitCode, 0, resumed.stderr + resumed.stdout);
    assert.match(resumed.stdout, /Locate Postgres.*\(done before the resume\)/);
    assert.doesNotMatch(resumed.stdout, /Take Postgres down.*\(done before the resume\)/);
    assert.doesNotMatch(resumed.stdout, /stuck terminating.*\(done before the resume\)/);
    assert.match(resumed.stdout, /scale deployment default\/postgres from 1 to 0/);
    const scales = h
      .mutations()
      .filter((r) => r.method === 'PATCH' && r.path === SCALE && r.status === 200).length;
    assert.equal(scales, 4, 'down, undone, down again on resume, and back up');
    assert.equal(readyReplicas(h), 1);
  });
});
