// `--sim [scenario]`: the simulator started inside this process, with a kubeconfig in a temporary
// directory and the Linode variables pointing at it; the run then connects as to any cluster.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { invalidParameter } from '../engine/errors.js';
import type { AnyRunbook } from '../engine/runbook.js';
import type { WaitClock } from '../engine/wait-clock.js';
import { parseClockSpeed } from '../sim/clock.js';
import { findScenario } from '../sim/scenarios/index.js';
import type { Scenario } from '../sim/scenario.js';
import type { RunningSimulator } from '../sim/server.js';
import type { Io } from './io.js';
import type { RunFlags } from './main.js';
import { noSuchScenario } from './no-such-scenario.js';

export interface EmbeddedSimulator {
  readonly scenario: string;
  readonly env: Record<string, string | undefined>;
  readonly kubeconfig: string;
  readonly describe: string;
  /** The clock the run's waits are bounded on: the simulator's (real time at speed 'instant'). */
  readonly waitClock: WaitClock;
  /** The simulator itself: its world and request log (for `runbook test`). */
  readonly simulator: RunningSimulator;
  readonly recovered: Scenario['recovered'];
  stop(): Promise<void>;
}

export async function startEmbeddedSimulator(
  runbook: AnyRunbook,
  flags: RunFlags,
  io: Io,
): Promise<EmbeddedSimulator> {
  const name = typeof flags.sim === 'string' ? flags.sim : runbook.defaultScenario;
  const scenario = findScenario(name);
  if (scenario === undefined) throw noSuchScenario(name);
  const speed = parseClockSpeed(flags.speed ?? '10');
  if (speed === undefined) {
    throw invalidParameter(`--speed must be a positive number or "instant"; "${flags.speed ?? ''}" is not.`);
  }
  const { startSimulator, scenarioLoader } = await import('../sim/server.js');
  const { waitClockFor } = await import('../sim/wait-clock.js');
  const sim = await startSimulator({ world: scenarioLoader(scenario), speed });
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
  return {
    scenario: scenario.name,
    env: { ...io.env, LINODE_API_URL: sim.linodeApiUrl, LINODE_TOKEN: sim.linodeToken },
    kubeconfig,
    describe: `embedded simulator, scenario ${scenario.name}, clock ×${String(speed)}`,
    waitClock: waitClockFor(sim.world.clock),
    simulator: sim,
    recovered: (world) => scenario.recovered(world),
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
