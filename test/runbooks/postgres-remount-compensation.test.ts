// When a later step fails, what the run already changed is offered for undoing: here, Linode refuses
// the detach, and Postgres is scaled back to the replica count the first step recorded.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('postgres-remount when Linode refuses the detach', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    h.sim.world.faults.add({
      kind: 'api-error',
      api: 'linode',
      method: 'POST',
      pathPattern: '/detach$',
      status: 400,
      rate: 1,
    });
  });
  after(() => h.stop());

  it('stops with the failure, then undoes the take-down (with --yes) and says how to resume', async () => {
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES['step-failed'], result.stdout + result.stderr);
    assert.match(result.stderr, /The Linode API failed to detach volume \d+ \(400/);
    assert.match(result.stdout, /The run stopped after changing things\. What would undo them:/);
    assert.match(
      result.stdout,
      /Undo: Take Postgres down\n {4}→ scale deployment default\/postgres from 0 to 1/,
    );
    assert.match(result.stdout, /undone/);
    assert.match(result.stderr, /runbook resume \S+/);
    const deployment = h.get<{ spec: { replicas: number } }>('apps/v1', 'Deployment', 'default', 'postgres');
    assert.equal(deployment?.spec.replicas, 1, 'back to the recorded replica count');
  });
});
