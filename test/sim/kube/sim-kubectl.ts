// The real kubectl 1.32 against the whole simulator server (startSimulator), which carries the
// upgraded connections (exec, cp, port-forward) the bare Kubernetes harness does not.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findScenario } from '../../../src/sim/scenarios/index.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../../src/sim/server.js';
import { type TestPostgres, forwardPostgresPodsTo, startTestPostgres } from '../../helpers/postgres.js';
import { KUBECTL, type Kubectl, type KubectlResult, createKubectl } from './kubectl.js';

export interface SimKubectl {
  sim: RunningSimulator;
  k: Kubectl;
  /** The Running pod of a deployment in `default`, by its app label. */
  podOf(app: string): string;
  stop(): Promise<void>;
}

export async function startSimKubectl(scenario = 'healthy'): Promise<SimKubectl> {
  const found = findScenario(scenario);
  if (found === undefined) throw new Error(`no scenario ${scenario}`);
  const sim = await startSimulator({ world: scenarioLoader(found), speed: 'instant' });
  const k = createKubectl(sim.url);
  return {
    sim,
    k,
    podOf(app) {
      const pod = sim.world.kube
        .list('v1', 'Pod', 'default')
        .find((p) => p.metadata.labels?.app === app && (p.status as { phase?: string }).phase === 'Running');
      if (pod === undefined) throw new Error(`no Running pod of ${app}`);
      return pod.metadata.name;
    },
    async stop() {
      k.close();
      await sim.stop();
    },
  };
}

/** Puts the real PostgreSQL behind the simulated Postgres pods, with its roles' passwords. */
export const registerPostgres = (simUrl: string, db: TestPostgres): Promise<void> =>
  forwardPostgresPodsTo(simUrl, db, { logins: true });

/** The simulator with kubectl and a real PostgreSQL (behind the Postgres pod when `registered`), and that pod. */
export async function startPostgresPod(options: {
  registered: boolean;
}): Promise<{ s: SimKubectl; db: TestPostgres; pod: string }> {
  const s = await startSimKubectl();
  const db = await startTestPostgres();
  if (options.registered) await registerPostgres(s.sim.url, db);
  return { s, db, pod: s.podOf('postgres') };
}

/** Stops what startPostgresPod started. */
export async function stopPostgresPod(
  s: SimKubectl | undefined,
  db: TestPostgres | undefined,
): Promise<void> {
  await s?.stop();
  await db?.stop();
}

/** kubectl with `input` on its stdin (exec -i, cp to a pod reads files itself). */
export function runWithInput(k: Kubectl, input: string, ...args: string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ['--kubeconfig', join(k.dir, 'kubeconfig'), ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}
