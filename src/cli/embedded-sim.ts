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
import type { RunningSimulator, WorldLoader } from '../sim/server.js';
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
  const { scenarioLoader } = await import('../sim/server.js');
  return startEmbeddedWorld(
    {
      loader: scenarioLoader(scenario),
      name: scenario.name,
      recovered: (world) => scenario.recovered(world),
    },
    flags.speed,
    io,
  );
}

/** A world of any making (a scenario, a team's folder with its faults) served in this process. */
export async function startEmbeddedWorld(
  world: { readonly loader: WorldLoader; readonly name: string; readonly recovered: Scenario['recovered'] },
  speedFlag: string | undefined,
  io: Io,
): Promise<EmbeddedSimulator> {
  const speed = parseClockSpeed(speedFlag ?? '10');
  if (speed === undefined) {
    throw invalidParameter(`--speed must be a positive number or "instant"; "${speedFlag ?? ''}" is not.`);
  }
  const { startSimulator } = await import('../sim/server.js');
  const { waitClockFor } = await import('../sim/wait-clock.js');
  const sim = await startSimulator({ world: world.loader, speed });
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
  return {
    scenario: world.name,
    env: { ...io.env, LINODE_API_URL: sim.linodeApiUrl, LINODE_TOKEN: sim.linodeToken },
    kubeconfig,
    describe: `embedded simulator, scenario ${world.name}, clock ×${String(speed)}`,
    waitClock: waitClockFor(sim.world.clock),
    simulator: sim,
    recovered: world.recovered,
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
