// Every scenario that can be trained ends through runbooks alone: its recovery commands, run with
// --yes against its simulated night, make its recovery condition hold. Nothing typed by hand.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { recoveryCommands } from '../../../src/sim/scenario.js';
import { SCENARIOS } from '../../../src/sim/scenarios/index.js';
import { writeTeamRepository } from '../../../src/sim/team-repository.js';
import { RUNBOOKS } from '../../../runbooks/index.js';
import { runCli } from '../../helpers/cli.js';
import { startScenario } from './providers.js';

const trainable = SCENARIOS.filter((s) => s.runbook !== undefined);

describe('every trainable scenario is recovered by its runbooks alone', () => {
  it('covers every scenario but healthy, and names only runbooks that exist', () => {
    assert.deepEqual(
      SCENARIOS.filter((s) => s.runbook === undefined).map((s) => s.name),
      ['healthy'],
    );
    const ids = new Set(RUNBOOKS.map((r) => r.id));
    for (const scenario of trainable)
      for (const [runbook] of recoveryCommands(scenario, '/dir'))
        assert.ok(runbook !== undefined && ids.has(runbook), `${scenario.name}: ${String(runbook)}`);
  });

  for (const scenario of trainable) {
    it(scenario.name, async () => {
      const s = await startScenario(scenario.name);
      try {
        assert.equal(scenario.recovered(s.h.sim.world).ok, false, 'recovered before anything was done');
        const dir = writeTeamRepository(scenario, mkdtempSync(join(tmpdir(), 'team-manifests-')));
        for (const command of recoveryCommands(scenario, dir)) {
          const result = await runCli([...command, '--yes'], { env: s.h.env() });
          assert.equal(result.exitCode, 0, `${command.join(' ')}\n${result.stderr}${result.stdout}`);
          await s.settle();
        }
        const outcome = scenario.recovered(s.h.sim.world);
        assert.equal(outcome.ok, true, outcome.detail);
      } finally {
        await s.stop();
      }
    });
  }
});
