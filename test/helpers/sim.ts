// Starts the simulator in the test process, on loopback, and hands the CLI the same environment
// `runbook sim start` prints: a kubeconfig file, LINODE_API_URL and LINODE_TOKEN.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClockSpeed } from '../../src/sim/clock.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import {
  type RunningSimulator,
  type WorldLoader,
  scenarioLoader,
  startSimulator,
} from '../../src/sim/server.js';
import type { KubeObject, RequestRecord } from '../../src/sim/world.js';
import { cleanEnv } from './cli.js';

export interface SimHarness {
  readonly sim: RunningSimulator;
  readonly kubeconfig: string;
  /** Environment for the CLI, pointing at this simulator. */
  env(extra?: Record<string, string>): Record<string, string>;
  /**
   * Requests that change something (anything but GET), Kubernetes and Linode alike, except the
   * run's own cluster lock (a Lease, see locks()), server-side dry runs (see previews()) and the
   * preflight's access reviews (a question, stored nowhere).
   */
  mutations(): RequestRecord[];
  /** Mutations sent with dryRun=All: validated by the server, never persisted. */
  previews(): RequestRecord[];
  /** Requests that took, renewed or released the cluster lock. */
  locks(): RequestRecord[];
  /** An object as the simulator holds it, typed as the test expects to read it. */
  get<T = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): T | undefined;
  stop(): Promise<void>;
}

/** `scenarioName`: a scenario's name, or a scenario a test made (e.g. one with its own manifests). */
export async function startSimHarness(
  scenarioName: string | Scenario,
  speed: ClockSpeed = 'instant',
): Promise<SimHarness> {
  const scenario = typeof scenarioName === 'string' ? findScenario(scenarioName) : scenarioName;
  if (scenario === undefined)
    throw new Error(`no scenario ${typeof scenarioName === 'string' ? scenarioName : scenarioName.name}`);
  return startWorldHarness(scenarioLoader(scenario), speed);
}

/** A harness over any world: a scenario's, or a team's repository (`manifestsLoader(dir)`). */
export async function startWorldHarness(
  world: WorldLoader,
  speed: ClockSpeed = 'instant',
): Promise<SimHarness> {
  const sim = await startSimulator({ world, speed });
  const dir = mkdtempSync(join(tmpdir(), 'runbook-test-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig());
  return {
    sim,
    kubeconfig,
    env: (extra = {}) =>
      cleanEnv({
        KUBECONFIG: kubeconfig,
        LINODE_API_URL: sim.linodeApiUrl,
        LINODE_TOKEN: sim.linodeToken,
        ...extra,
      }),
    mutations: () =>
      sim.requests.filter(
        (r) =>
          r.method !== 'GET' &&
          r.api !== 'control' &&
          !r.path.includes('/leases') &&
          !r.path.endsWith('/selfsubjectaccessreviews') &&
          r.query.dryRun !== 'All',
      ),
    previews: () => sim.requests.filter((r) => r.query.dryRun === 'All'),
    locks: () => sim.requests.filter((r) => r.method !== 'GET' && r.path.includes('/leases')),
    get: <T>(apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
      sim.world.kube.get(apiVersion, kind, namespace, name) as T | undefined,
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How many pods of a Deployment are Ready, as the simulator holds it (Postgres by default). */
export function readyReplicas(h: SimHarness, namespace = 'default', name = 'postgres'): number | undefined {
  return h.get<{ status?: { readyReplicas?: number } }>('apps/v1', 'Deployment', namespace, name)?.status
    ?.readyReplicas;
}
