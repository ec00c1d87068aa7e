// The real kubectl 1.32 against the whole simulator server (startSimulator), which carries the
// upgraded connections (exec, cp, port-forward) the bare Kubernetes harness does not.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findScenario } from '../../../src/sim/scenarios/index.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../../src/sim/server.js';
import { type TestPostgres, APP_PASSWORD, SUPERUSER_PASSWORD } from '../../helpers/postgres.js';
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
export async function registerPostgres(simUrl: string, db: TestPostgres): Promise<void> {
  const response = await fetch(`${simUrl}/_sim/portforward`, {
    method: 'POST',
    body: JSON.stringify({
      namespace: 'default',
      labels: { app: 'postgres' },
      port: 5432,
      host: db.host,
      targetPort: db.port,
      logins: { postgres: SUPERUSER_PASSWORD, app: APP_PASSWORD },
    }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /_sim/portforward: ${response.status}`);
  if (text.includes(SUPERUSER_PASSWORD) || text.includes(APP_PASSWORD))
    throw new Error('POST /_sim/portforward echoed a password');
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
