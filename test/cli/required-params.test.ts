// A required parameter left out is refused before anything happens: no request reaches the cluster
// or Linode, no run is journaled, no lock is taken. And help says which parameters are required.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('a required parameter left out', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  for (const runbook of ['node-drain', 'node-uncordon', 'node-recycle']) {
    it(`${runbook} without --node: exit 3 in one sentence, no request, no journal`, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-required-'));
      const requestsBefore = h.sim.requests.length;
      const result = await runCli([runbook, '--yes'], { env: h.env({ RUNBOOK_STATE_DIR: stateDir }) });
      assert.equal(result.exitCode, EXIT_CODES['invalid-parameter'], result.stderr + result.stdout);
      assert.match(result.stderr, /^✖ --node is required: the [^.]*\.$/m);
      assert.equal(result.stdout, '', 'no header: nothing was connected to');
      assert.equal(h.sim.requests.length, requestsBefore, 'not one request reached the simulator');
      assert.deepEqual(readdirSync(stateDir, { recursive: true }), [], 'no journal was written');
    });
  }

  it('is refused without a terminal and without --yes the same way, not as "needs a terminal"', async () => {
    const requestsBefore = h.sim.requests.length;
    const result = await runCli(['node-drain'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES['invalid-parameter'], result.stderr);
    assert.match(result.stderr, /--node is required/);
    assert.equal(h.sim.requests.length, requestsBefore);
  });
});

describe('help marks the required parameters', () => {
  it('runbook show node-drain', async () => {
    const result = await runCli(['show', 'node-drain']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /--node <name> +the node to drain \(kubectl get nodes\) \(required\)/);
    assert.doesNotMatch(result.stdout, /--timeout.*\(required\)/);
  });

  it('runbook node-uncordon --help', async () => {
    const result = await runCli(['node-uncordon', '--help']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /--node <name>\s+the node to uncordon \(kubectl get nodes\)\s+\(required\)/);
  });
});
