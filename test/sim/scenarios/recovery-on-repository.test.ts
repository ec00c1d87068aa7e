// The nights played on a team's repository (`train --load`) end through the runbooks their debrief
// names: each recovery command, run with --yes against the loaded night, makes its condition hold.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { nightLoader } from '../../../src/sim/load-night.js';
import { recoveryCommands, settle } from '../../../src/sim/scenario.js';
import { SCENARIOS } from '../../../src/sim/scenarios/index.js';
import type { Scenario } from '../../../src/sim/scenario.js';
import { ROOT, runCli } from '../../helpers/cli.js';
import { startWorldHarness } from '../../helpers/sim.js';

const TEAM_REPO = join(ROOT, 'test', 'fixtures', 'team-repo');

// The CPU and RAM night ends when the team's own limits are applied: a file only the team can write.
// (The fixture's Redis is a StatefulSet: redis-recover deletes its crash-looping pod, since its rolling
// update would wait for that pod to be Ready, as Kubernetes' does.)
const BY_RUNBOOKS_ALONE = SCENARIOS.filter(
  (s) => s.runbook !== undefined && s.name !== '2021-01-12-site-cpu-ram-exhaustion',
);

async function recoverOn(scenario: Scenario, repo: string): Promise<void> {
  const mapped = nightLoader(scenario, repo);
  assert.ok(mapped.ok, mapped.ok ? '' : mapped.why);
  const h = await startWorldHarness(mapped.value.loader);
  try {
    const night = mapped.value.night();
    assert.ok(typeof night !== 'string', typeof night === 'string' ? night : '');
    assert.equal(night.scenario.recovered(h.sim.world).ok, false, 'recovered before anything was done');
    for (const command of recoveryCommands(night.scenario, repo)) {
      const result = await runCli([...command, '--yes'], { env: h.env() });
      assert.equal(result.exitCode, 0, `${command.join(' ')}\n${result.stderr}${result.stdout}`);
      await settle(h.sim.world);
    }
    const outcome = night.scenario.recovered(h.sim.world);
    assert.equal(outcome.ok, true, outcome.detail);
  } finally {
    await h.stop();
  }
}

describe('every night on the team-repo fixture is recovered by the runbooks its debrief names', () => {
  for (const scenario of BY_RUNBOOKS_ALONE) it(scenario.name, () => recoverOn(scenario, TEAM_REPO));
});
