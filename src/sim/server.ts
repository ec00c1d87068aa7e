// One loopback HTTP server, two APIs: Kubernetes (/api, /apis, /version, /openapi) and Linode v4
// (/v4, /v4beta), plus the control API (/_sim). Real clients talk to it exactly as to the real thing.
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type ClockSpeed, createSimClock } from './clock.js';
import { handleControl } from './control.js';
import { createExec, isExecPath } from './exec/index.js';
import { createPortForwarding } from './portforward.js';
import { failure } from './kube/errors.js';
import { createKubeSim } from './kube/index.js';
import { simulatorKubeconfig } from './kubeconfig.js';
import { createLinodeSim } from './linode/index.js';
import { type Scenario, loadScenario } from './scenario.js';
import { type Fault, type RequestRecord, type SimWorld, createFaultSet } from './world.js';
import { isMarkedDryRun } from './dry-run-marks.js';

/** What fills a fresh world before the server opens: a scenario, or a twin of a live cluster. */
export interface WorldLoader {
  /** Names the world in kubeconfigs and messages. */
  readonly name: string;
  readonly clusterId: number;
  readonly region?: string;
  /** Where the simulated clock starts (ms since the epoch); default 2020-12-11 13:24 UTC. */
  readonly startMs?: number;
  load(world: SimWorld): Promise<void>;
}

export function scenarioLoader(scenario: Scenario): WorldLoader {
  return {
    name: scenario.name,
    clusterId: scenario.clusterId,
    ...(scenario.startsAt === undefined ? {} : { startMs: Date.parse(scenario.startsAt) }),
    load: (world) => loadScenario(world, scenario),
  };
}

export interface SimulatorOptions {
  readonly world: WorldLoader;
  readonly speed: ClockSpeed;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /**
   * Serve https with this key and certificate (PEM) instead of plain http, so tests can face the
   * TLS failures a real API server can cause. `ca` (PEM) is what the simulator's kubeconfig trusts.
   */
  readonly tls?: SimulatorTls;
}

export interface SimulatorTls {
  readonly key: string;
  readonly cert: string;
  readonly ca?: string;
}

export interface RunningSimulator {
  readonly url: string;
  /** The value for LINODE_API_URL. */
  readonly linodeApiUrl: string;
  /** The value for LINODE_TOKEN: random for every start. */
  readonly linodeToken: string;
  readonly name: string;
  readonly world: SimWorld;
  readonly requests: readonly RequestRecord[];
  kubeconfig(): string;
  stop(): Promise<void>;
}

const MAX_LOGGED_REQUESTS = 100_000;

function apiOf(path: string): RequestRecord['api'] {
  if (path.startsWith('/_sim/')) return 'control';
  if (path.startsWith('/v4/') || path.startsWith('/v4beta/')) return 'linode';
  return 'kubernetes';
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const clock = createSimClock({
    speed: 'instant',
    ...(options.world.startMs === undefined ? {} : { startMs: options.world.startMs }),
  });
  const faults = createFaultSet();
  const linode = createLinodeSim({
    clock,
    faults,
    ...(options.world.region === undefined ? {} : { region: options.world.region }),
  });
  const kube = createKubeSim({ clock, faults, linode, seed: options.world.name });
  const world: SimWorld = { clock, faults, linode, kube };
  const kubeToken = randomBytes(16).toString('hex');
  const requests: RequestRecord[] = [];
  let seq = 0;

  /** How many requests each api-error fault has failed, for those that stop after `count`. */
  const injectedCounts = new WeakMap<Fault, number>();
  const injected = (
    api: RequestRecord['api'],
    method: string,
    path: string,
  ): { status?: number; retryAfter?: number; delayMs: number } => {
    let delayMs = 0;
    for (const fault of faults.list()) {
      if (fault.kind === 'latency' && fault.api === api) delayMs += fault.ms;
      if (
        fault.kind === 'conflict-once' &&
        api === 'kubernetes' &&
        (fault.method === undefined || fault.method === method) &&
        new RegExp(fault.pathPattern).test(path)
      ) {
        faults.remove(fault);
        return { status: 409, delayMs };
      }
      // The Linode simulator answers its own api-error faults, with Linode's headers (linode/injected.ts).
      if (
        fault.kind === 'api-error' &&
        fault.api === api &&
        api !== 'linode' &&
        (fault.method === undefined || fault.method === method) &&
        new RegExp(fault.pathPattern).test(path) &&
        Math.random() < fault.rate
      ) {
        const failed = (injectedCounts.get(fault) ?? 0) + 1;
        injectedCounts.set(fault, failed);
        if (fault.count !== undefined && failed >= fault.count) faults.remove(fault);
        return { status: fault.status, retryAfter: fault.retryAfterSeconds ?? 1, delayMs };
      }
    }
    return { delayMs };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const api = apiOf(url.pathname);
    const record: RequestRecord = {
      seq: ++seq,
      time: clock.now().toISOString(),
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      api,
    };
    if (requests.length < MAX_LOGGED_REQUESTS) requests.push(record);
    res.on('close', () => {
      record.status = res.statusCode;
      if (isMarkedDryRun(req)) record.dryRun = true;
    });
    if (api === 'control' && url.pathname === '/_sim/portforward' && method === 'POST') {
      return forwarding.handleControl(req, res);
    }
    if (api === 'control') return handleControl(req, res, url, world, requests);
    const fault = injected(api, method, url.pathname);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    if (fault.status !== undefined)
      return injectError(res, api, fault.status, fault.retryAfter ?? 1, url.pathname);
    if (api === 'linode') return linode.handle(req, res);
    return kube.handle(req, res);
  };

  const respond = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
    });
  };
  const tls = options.tls;
  const server =
    tls === undefined ? createServer(respond) : createHttpsServer({ key: tls.key, cert: tls.cert }, respond);
  server.keepAliveTimeout = 5_000;
  const forwarding = createPortForwarding(kube, {
    authorize: (attributes) => kube.access.authorize(attributes),
  });
  // kubectl exec and cp (src/sim/exec) share the port-forward's registered backends (a real Postgres).
  const exec = createExec(kube, {
    now: () => clock.now(),
    postgresBehind: (namespace, labels) => forwarding.postgresBehind(namespace, labels),
    authorize: (attributes) => kube.access.authorize(attributes),
  });
  server.on('upgrade', (req, socket, head: Buffer) =>
    isExecPath(req.url) ? exec.handleUpgrade(req, socket, head) : forwarding.handleUpgrade(req, socket, head),
  );

  await options.world.load(world);
  clock.setSpeed(options.speed);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;

  return {
    url,
    linodeApiUrl: `${url}/v4`,
    linodeToken: linode.token,
    name: options.world.name,
    world,
    requests,
    kubeconfig: () =>
      simulatorKubeconfig({
        server: url,
        clusterId: options.world.clusterId,
        token: kubeToken,
        ...(tls?.ca === undefined ? {} : { ca: tls.ca }),
      }),
    async stop() {
      kube.close();
      forwarding.close();
      exec.close();
      clock.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The API server's answer to a write with a stale resourceVersion, for the object at `path`. */
function staleWrite(path: string): ReturnType<typeof failure> {
  const match = /^\/apis?\/(?:([^/]+)\/)?v[^/]+\/(?:namespaces\/[^/]+\/)?([^/]+)\/([^/]+)/.exec(path);
  const group = path.startsWith('/apis/') ? (match?.[1] ?? '') : '';
  const resource = `${match?.[2] ?? 'objects'}${group === '' ? '' : `.${group}`}`;
  const name = match?.[3] ?? '';
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, ...(group === '' ? {} : { group }), kind: match?.[2] ?? '' },
  );
}

function injectError(
  res: ServerResponse,
  api: RequestRecord['api'],
  status: number,
  retryAfter: number,
  path = '',
): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    ...(status === 429 ? { 'Retry-After': String(retryAfter) } : {}),
  });
  if (status === 409) {
    res.end(JSON.stringify(staleWrite(path).status));
    return;
  }
  const reason = status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'InternalError';
  // kube-apiserver's max-in-flight filter answers 429 with this message and retryAfterSeconds.
  const message = status === 429 ? 'Too many requests, please try again later.' : 'injected fault';
  const details = status === 429 ? { retryAfterSeconds: retryAfter } : undefined;
  res.end(JSON.stringify(failure(status, reason, message, details).status));
}
