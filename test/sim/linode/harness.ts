// Starts the simulated Linode API on a loopback port and points the real @linode/api-v4 client at
// it (its URLs are absolute https://api.linode.com/v4…, so an interceptor rewrites the prefix).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseRequest, setToken } from '@linode/api-v4';
import { createSimClock, type SimClock } from '../../../src/sim/clock.js';
import { createFaultSet, type FaultSet } from '../../../src/sim/world.js';
import { createLinodeSim, type LinodeSim, type LinodeSimOptions } from '../../../src/sim/linode/index.js';

export interface Harness {
  sim: LinodeSim;
  clock: SimClock;
  faults: FaultSet;
  /** e.g. http://127.0.0.1:40123 */
  root: string;
  close(): Promise<void>;
}

let rewrite: number | undefined;
let auth: number | undefined;

/** A clock that barely moves on its own (1 simulated ms per real second): tests step it with settle(). */
export function manualClock(): SimClock {
  return createSimClock({ speed: 0.001 });
}

export async function startSim(
  options: Partial<Omit<LinodeSimOptions, 'faults'>> & { faults?: FaultSet } = {},
): Promise<Harness> {
  const clock = options.clock ?? createSimClock({ speed: 'instant' });
  const faults = options.faults ?? createFaultSet();
  const sim = createLinodeSim({ ...options, clock, faults });
  const server = http.createServer((req, res) => sim.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  if (rewrite !== undefined) baseRequest.interceptors.request.eject(rewrite);
  if (auth !== undefined) baseRequest.interceptors.request.eject(auth);
  rewrite = baseRequest.interceptors.request.use((config) => ({
    ...config,
    url: config.url?.replace('https://api.linode.com/v4', `${root}/v4`),
  }));
  useToken(sim.token);

  return {
    sim,
    clock,
    faults,
    root,
    close: async () => {
      clock.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Makes api-v4 send `token` from now on (replacing, not stacking, the bearer interceptor). */
export function useToken(token: string): void {
  if (auth !== undefined) baseRequest.interceptors.request.eject(auth);
  auth = setToken(token);
}

/** Polls `check` until it is true, yielding to the event loop (where the instant clock runs) between tries. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  tries = 2000,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The status and Linode error body of a rejected api-v4 call (it rejects with the raw AxiosError). */
export function httpError(error: unknown): {
  status: number;
  errors: Array<{ reason: string; field?: string }>;
} {
  const response = (error as { response?: { status: number; data?: { errors?: [] } } }).response;
  if (response === undefined) throw error;
  return { status: response.status, errors: response.data?.errors ?? [] };
}

/** Rejects unless `promise` fails with an HTTP error; returns its status and errors. */
export async function expectHttpError(
  promise: Promise<unknown>,
): Promise<{ status: number; errors: Array<{ reason: string; field?: string }> }> {
  try {
    await promise;
  } catch (error) {
    return httpError(error);
  }
  throw new Error('expected the request to fail');
}

/** A raw request to the simulator, for what api-v4 has no wrapper for or would hide. */
export async function raw(
  root: string,
  path: string,
  init: { method?: string; token?: string | null; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Headers; body: unknown }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null && init.token !== undefined) headers['Authorization'] = `Bearer ${init.token}`;
  const response = await fetch(`${root}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/** A small cluster: three LKE nodes in one pool and a few volumes, two attached. */
export function seed(sim: LinodeSim): {
  clusterId: number;
  poolId: number;
  nodeIds: string[];
  linodeIds: number[];
  volumeIds: number[];
} {
  const cluster = sim.createLkeCluster({ label: 'pydis-k8s', k8sVersion: '1.32' });
  const linodes = [0, 1, 2].map((i) =>
    sim.createInstance({
      label: `lke${cluster.id}-node-${i}`,
      type: 'g6-standard-4',
      ipv4: `172.104.1.${10 + i}`,
      lkeClusterId: cluster.id,
    }),
  );
  const pool = sim.addLkePool(cluster.id, { type: 'g6-standard-4', linodeIds: linodes.map((l) => l.id) });
  const volumes = [
    sim.createVolume({ label: 'pvc-0a1b2c3d4e5f6a7b', size: 10, linodeId: linodes[0]?.id ?? null }),
    sim.createVolume({ label: 'pvc-1a1b2c3d4e5f6a7b', size: 20, linodeId: linodes[1]?.id ?? null }),
    sim.createVolume({ label: 'pvc2a1b2c3d4e5f6a7b', size: 30 }),
  ];
  return {
    clusterId: cluster.id,
    poolId: pool.id,
    nodeIds: pool.nodeIds,
    linodeIds: linodes.map((l) => l.id),
    volumeIds: volumes.map((v) => v.id),
  };
}
