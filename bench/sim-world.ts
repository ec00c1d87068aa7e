// A benchmark's simulator: started in this process on a world, with a kubeconfig and the Linode
// variables a child process (runbook or kubectl) needs to reach it, and faults set through /_sim.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClockSpeed } from '../src/sim/clock.js';
import { type RunningSimulator, type WorldLoader, startSimulator } from '../src/sim/server.js';
import type { Fault } from '../src/sim/world.js';

export interface BenchSim {
  readonly sim: RunningSimulator;
  readonly kubeconfig: string;
  /** A scratch directory, removed on stop (kubectl's cache, runbook's state). */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export async function startBenchSim(
  world: WorldLoader,
  speed: ClockSpeed,
  faults: readonly Fault[] = [],
): Promise<BenchSim> {
  const sim = await startSimulator({ world, speed });
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
  for (const fault of faults) {
    const response = await fetch(`${sim.url}/_sim/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(fault),
    });
    if (!response.ok)
      throw new Error(`POST /_sim/faults answered ${response.status}: ${await response.text()}`);
  }
  return {
    sim,
    kubeconfig,
    dir,
    env: {
      ...process.env,
      KUBECONFIG: kubeconfig,
      LINODE_API_URL: sim.linodeApiUrl,
      LINODE_TOKEN: sim.linodeToken,
      RUNBOOK_STATE_DIR: join(dir, 'state'),
    },
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
