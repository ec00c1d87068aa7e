// The in-cluster path: a local listener on 127.0.0.1 whose every connection is carried to the
// Postgres pod's port by client-node's PortForward (the pods/portforward WebSocket, as kubectl
// port-forward does). pg and pg_dump then both connect to 127.0.0.1:<local port>.
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { V1Pod } from '@kubernetes/client-node';
import { RunbookError } from '../../engine/errors.js';
import { plural } from '../../engine/plural.js';
import type { KubeClients } from '../kubernetes/connect.js';
import { kubeError } from '../kubernetes/errors.js';

export interface PortForwardTarget {
  readonly namespace: string;
  readonly deployment: string;
}

export interface OpenForward {
  readonly localPort: number;
  /** The pod forwarded to now: a new connection goes to another Ready pod once this one is gone. */
  readonly pod: string;
  readonly podPort: number;
  /** The last reason a forwarded connection failed (the API server's or the pod's words). */
  problem(): string | undefined;
  close(): Promise<void>;
}

/** client-node rejects with a ws ErrorEvent, not an Error: its message is still the reason. */
function reasonOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message : String(error);
}

/** client-node's WebSocket drops the API server's Status: the status code is all it keeps. */
function refusalOf(error: unknown, namespace: string): string {
  const reason = reasonOf(error);
  const status = /Unexpected server response: (\d{3})/.exec(reason)?.[1];
  if (status === '403')
    return `403 Forbidden: this identity may not create pods/portforward in namespace ${namespace}; \`runbook rbac <runbook>\` prints the Role a runbook needs`;
  if (status === '401') return '401 Unauthorized: the API server did not accept these credentials';
  return reason;
}

interface ForwardSocket {
  on(event: 'close', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

const isReady = (pod: V1Pod): boolean =>
  pod.metadata?.deletionTimestamp == null &&
  pod.status?.phase === 'Running' &&
  (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

function postgresPort(pod: V1Pod): number {
  const ports = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []);
  const named = ports.find(
    (p) => p.name === 'postgres' || p.name === 'postgresql' || p.containerPort === 5432,
  );
  return named?.containerPort ?? ports[0]?.containerPort ?? 5432;
}

/** Finds a Ready pod of the deployment and the port Postgres listens on in it. */
async function findPod(
  kube: KubeClients,
  target: PortForwardTarget,
): Promise<{ name: string; port: number }> {
  const { namespace, deployment } = target;
  const doing = `find the pod of deployment ${namespace}/${deployment} to port-forward to`;
  const found = await kube.apps
    .readNamespacedDeployment({ name: deployment, namespace })
    .catch((error: unknown) => {
      throw kubeError(error, kube.identity.server, doing);
    });
  const selector = Object.entries(found.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await kube.core
    .listNamespacedPod({ namespace, labelSelector: selector })
    .catch((error: unknown) => {
      throw kubeError(error, kube.identity.server, doing);
    });
  const pod = pods.items.find(isReady);
  if (pod?.metadata?.name === undefined) {
    throw new RunbookError(
      'database-unreachable',
      `No Ready pod of deployment ${namespace}/${deployment} to port-forward to (${plural(pods.items.length, 'pod')}, none Ready).`,
      { next: 'Postgres is down: bring it back (runbook postgres-remount) or give --database-url.' },
    );
  }
  return { name: pod.metadata.name, port: postgresPort(pod) };
}

/** The pod still forwarded to while it is Ready; else, as kubectl port-forward would be run again, another. */
async function currentPod(
  kube: KubeClients,
  target: PortForwardTarget,
  last: { name: string; port: number },
): Promise<{ name: string; port: number }> {
  const pod = await kube.core
    .readNamespacedPod({ namespace: target.namespace, name: last.name })
    .catch(() => undefined);
  return pod !== undefined && isReady(pod) ? last : findPod(kube, target);
}

export async function openPortForward(kube: KubeClients, target: PortForwardTarget): Promise<OpenForward> {
  let current = await findPod(kube, target);
  const podPort = current.port;
  const forward = new kube.lib.PortForward(kube.config);
  const sockets = new Set<Socket>();
  let problem: string | undefined;

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Its bytes wait in the socket until the forward reads them (no 'data' listener yet). A long run outlives pods (Postgres replaced by a remount or an upgrade): each connection is
    // carried to the pod that is Ready now.
    currentPod(kube, target, current).then(
      (found) => {
        current = found;
        carry(socket, found);
      },
      (error: unknown) => {
        problem = reasonOf(error);
        socket.destroy();
      },
    );
  });

  function carry(socket: Socket, to: { name: string; port: number }): void {
    const pod = to.name;
    const errors = new Writable({
      write(chunk: Buffer, _encoding, done) {
        // The error channel also carries empty frames: only words are a reason.
        const text = chunk.toString('utf8').trim();
        if (text !== '') problem = text;
        done();
      },
    });
    forward
      .portForward(target.namespace, pod, [to.port], socket, errors, socket)
      .then((opened) => {
        if (typeof opened === 'function') return;
        // isomorphic-ws's types do not resolve here; this is the part of ws's WebSocket used.
        const ws = opened as unknown as ForwardSocket;
        ws.on('close', () => socket.end());
        ws.on('error', (error: Error) => {
          problem = error.message;
          socket.destroy();
        });
        socket.on('close', () => ws.close());
      })
      .catch((error: unknown) => {
        problem = `the Kubernetes API at ${kube.identity.server} refused the port-forward to pod ${target.namespace}/${pod} (${refusalOf(error, target.namespace)})`;
        socket.destroy();
      });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const localPort = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    localPort,
    get pod() {
      return current.name;
    },
    podPort,
    problem: () => problem,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
