// postgres-remount on a real-time simulator (clock ×1): the whole process's wall time against the
// sum of the waits the simulated infrastructure imposed on that same run (grace periods, CSI and
// Linode detach and attach, pod start), read from the simulator as it ran (fixtures/infra-waits.ts).
import { join } from 'node:path';
import { RUNBOOKS } from '../runbooks/index.js';
import { findScenario } from '../src/sim/scenarios/index.js';
import { scenarioLoader } from '../src/sim/server.js';
import { recordInfrastructure } from './fixtures/infra-waits.js';
import type { BenchResult } from './result.js';
import { startBenchSim } from './sim-world.js';
import { runCommand } from './spawn.js';

export async function benchRemountRealtime(root: string): Promise<BenchResult> {
  const runbook = RUNBOOKS.find((r) => r.id === 'postgres-remount');
  const scenario = findScenario(runbook?.defaultScenario ?? '');
  if (runbook === undefined || scenario === undefined) throw new Error('no postgres-remount scenario');
  const bench = await startBenchSim(scenarioLoader(scenario), 1);
  try {
    const infra = recordInfrastructure(bench.sim);
    const done = await runCommand(
      process.execPath,
      [
        join(root, 'dist', 'bin', 'runbook.js'),
        'postgres-remount',
        '--yes',
        '--kubeconfig',
        bench.kubeconfig,
      ],
      { env: bench.env },
    );
    const { waits, totalMs } = infra.stop();
    if (done.code !== 0) throw new Error(`postgres-remount exited ${String(done.code)}:\n${done.output}`);
    const ratio = done.ms / totalMs;
    const parts = waits
      .filter((w) => w.toMs - w.fromMs >= 50)
      .map((w) => `${w.what} ${((w.toMs - w.fromMs) / 1000).toFixed(1)} s`);
    return {
      name: `postgres-remount on a real-time simulator (clock ×1, scenario ${scenario.name}): whole process against the waits the simulated infrastructure imposed`,
      value: `${(done.ms / 1000).toFixed(1)} s against ${(totalMs / 1000).toFixed(1)} s of waits (+${((done.ms - totalMs) / 1000).toFixed(1)} s)`,
      ratio,
      goal: '≤ 1.05× the waits',
      met: ratio <= 1.05,
      notes: [
        `Real-time remount: the waits are read from the simulator during the run (bench/fixtures/infra-waits.ts): for each change the run asked for, from its request until the world had done it or said it could not: ${parts.join('; ')}. Overlapping waits count once. The rest of the wall time is start-up, reads, and noticing each change.`,
      ],
    };
  } finally {
    await bench.stop();
  }
}
