// Test harness: the Kubernetes simulator on a real loopback HTTP server with an instant clock,
// driven through the real @kubernetes/client-node, plus helpers that wait on watches, never sleeps.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { createSimClock, type SimClock } from '../../../src/sim/clock.js';
import { createFaultSet, type Fault, type FaultSet, type KubeObject } from '../../../src/sim/world.js';
import { createKubeSim, type KubeSim } from '../../../src/sim/kube/index.js';
import { createLinodeStub, type LinodeStub } from './linode-stub.js';

export interface Harness {
  clock: SimClock;
  faults: FaultSet;
  linode: LinodeStub;
  sim: KubeSim;
  server: http.Server;
  url: string;
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  apps: k8s.AppsV1Api;
  storage: k8s.StorageV1Api;
  /** Raw request against the simulator. */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; json: unknown }>;
  /** Resolves once `predicate` holds for the world, re-checking on every store change; rejects after `timeoutMs` real ms. */
  until<T>(what: string, predicate: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startHarness(
  options: { faults?: Fault[]; volumeLabelForm?: 'pvc' | 'pvc-'; historyLimit?: number } = {},
): Promise<Harness> {
  const clock = createSimClock({ speed: 'instant' });
  const faults = createFaultSet(options.faults ?? []);
  const linode = createLinodeStub(clock);
  const sim = createKubeSim({
    clock,
    faults,
    linode,
    ...(options.volumeLabelForm ? { volumeLabelForm: options.volumeLabelForm } : {}),
    ...(options.historyLimit ? { historyLimit: options.historyLimit } : {}),
    onControllerError: (c, e) => {
      throw new Error(`controller ${c} failed: ${e instanceof Error ? e.stack : String(e)}`);
    },
  });
  const server = http.createServer((req, res) => sim.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'sim', token: 'sim-token' }],
    contexts: [{ name: 'sim', cluster: 'sim', user: 'sim', namespace: 'default' }],
    currentContext: 'sim',
  });

  const request: Harness['request'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const text = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        `${url}${path}`,
        {
          method,
          headers: {
            'Content-Type': 'application/json',
            ...(text === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(text)) }),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const t = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = JSON.parse(t);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: t, json });
          });
        },
      );
      req.on('error', reject);
      if (text !== undefined) req.write(text);
      req.end();
    });

  const until: Harness['until'] = (what, predicate, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      let done = false;
      const check = (): void => {
        if (done) return;
        let value: ReturnType<typeof predicate>;
        try {
          value = predicate();
        } catch (error) {
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (value !== undefined && value !== false) {
          finish();
          resolve(value);
        }
      };
      const offKube = h.sim.onChange(() => setImmediate(check));
      const offLinode = h.linode.onChange(() => setImmediate(check));
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what} (sim time ${clock.now().toISOString()})`));
      }, timeoutMs);
      const finish = (): void => {
        done = true;
        offKube();
        offLinode();
        clearTimeout(timer);
      };
      check();
    });

  const h: Harness = {
    clock,
    faults,
    linode,
    sim,
    server,
    url,
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    storage: kc.makeApiClient(k8s.StorageV1Api),
    request,
    until,
    async close() {
      sim.close();
      clock.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return h;
}

/** Seeds a Ready-able node backed by a Linode instance, as scenario loading does. */
export function addNode(h: Harness, name: string, ip: string): { node: KubeObject; linodeId: number } {
  const instance = h.linode.createInstance({ label: name, ipv4: ip });
  const node = h.sim.create({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'lke.linode.com/pool-id': '1',
        'node.kubernetes.io/instance-type': 'g6-standard-2',
        'topology.kubernetes.io/region': 'us-east',
      },
    },
    spec: { providerID: `linode://${instance.id}` },
    status: {
      addresses: [
        { type: 'Hostname', address: name },
        { type: 'ExternalIP', address: ip },
        { type: 'InternalIP', address: `192.168.128.${instance.id % 250}` },
      ],
      capacity: { cpu: '2', memory: '4025892Ki', pods: '110', 'ephemeral-storage': '82486728Ki' },
      allocatable: { cpu: '2', memory: '3923492Ki', pods: '110', 'ephemeral-storage': '76019768399' },
    },
  });
  return { node, linodeId: instance.id };
}

export function deployment(
  name: string,
  replicas: number,
  extra: { claim?: string; namespace?: string } = {},
): KubeObject {
  const podSpec: Record<string, unknown> = { containers: [{ name, image: `${name}:1.0` }] };
  if (extra.claim !== undefined) {
    podSpec.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: extra.claim } }];
    podSpec.containers = [
      { name, image: `${name}:1.0`, volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    ];
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: extra.namespace ?? 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: extra.claim === undefined ? undefined : { type: 'Recreate' },
      template: { metadata: { labels: { app: name } }, spec: podSpec },
    },
  };
}

export function podsOf(h: Harness, app: string, namespace = 'default'): KubeObject[] {
  return h.sim.list('v1', 'Pod', namespace).filter((p) => p.metadata.labels?.app === app);
}

export function isReady(pod: KubeObject): boolean {
  const conditions =
    (pod.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function eventsFor(h: Harness, name: string, namespace = 'default'): KubeObject[] {
  return h.sim
    .list('v1', 'Event', namespace)
    .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name);
}
