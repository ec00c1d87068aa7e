// kubectl port-forward against the simulator: a pods/portforward WebSocket (v4.channel.k8s.io)
// piped to a real TCP service on loopback that a test or a rehearsal names for the pods it stands
// behind (POST /_sim/portforward), so a real PostgreSQL can answer for the simulated Postgres pod.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { PostgresBackend } from './exec/context.js';
import type { KubeWorld } from './world.js';
import type { ResourceAttributes } from './kube/authorization.js';
import { authorizeUpgrade, refuseUpgrade } from './upgrade-refusal.js';

/** Pods matching `labels` in `namespace` answer on `port` with the service at host:targetPort. */
export interface ForwardTarget {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly port: number;
  readonly host: string;
  readonly targetPort: number;
  /**
   * Only pods that mount this claim: a database lives on its volume, so a pod moved to another volume
   * (a new major version's) reaches another server. Preferred over a target without one.
   */
  readonly claim?: string;
  /**
   * Passwords of the service's roles, by role name, for `kubectl exec … psql` in those pods
   * (src/sim/exec): kept in memory, never echoed back.
   */
  readonly logins?: Readonly<Record<string, string>>;
}

const PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/;

const portBytes = (channel: number, port: number): Buffer => Buffer.from([channel, port & 0xff, port >> 8]);

export function createPortForwarding(
  kube: KubeWorld,
  options: {
    /** Throws the API server's 403 when the access policy refuses the request. */
    authorize?: (attributes: ResourceAttributes) => void;
  } = {},
): {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  handleControl(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The PostgreSQL (port 5432) behind pods with these labels, for exec of its clients. */
  postgresBehind(namespace: string, labels: Record<string, string>): PostgresBackend | undefined;
  close(): void;
} {
  const targets: ForwardTarget[] = [];
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = PATH.exec(url.pathname);
      if (match === null)
        return refuseUpgrade(socket, 404, 'NotFound', `the server could not find the requested resource`);
      const [, namespace = '', name = ''] = match;
      if (!authorizeUpgrade(socket, options.authorize, { subresource: 'portforward', namespace, name }))
        return;
      const port = Number(url.searchParams.get('ports'));
      const pod = kube.get('v1', 'Pod', namespace, name) as
        | {
            metadata: { labels?: Record<string, string>; uid?: string };
            spec?: { volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }> };
            status?: { phase?: string };
          }
        | undefined;
      if (pod === undefined) return refuseUpgrade(socket, 404, 'NotFound', `pods "${name}" not found`);
      if (pod.status?.phase !== 'Running') {
        return refuseUpgrade(
          socket,
          400,
          'BadRequest',
          `unable to upgrade connection: pod ${name} is not running`,
        );
      }
      const claims = (pod.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName);
      const candidates = targets.filter(
        (t) =>
          t.namespace === namespace &&
          t.port === port &&
          Object.entries(t.labels).every(([k, v]) => pod.metadata.labels?.[k] === v) &&
          (t.claim === undefined || claims.includes(t.claim)),
      );
      const target = candidates.find((t) => t.claim !== undefined) ?? candidates[0];
      // The container stops with its pod: a forwarded connection does not outlive this incarnation.
      const uid = pod.metadata.uid;
      const podGone = (): boolean =>
        (kube.get('v1', 'Pod', namespace, name) as { metadata: { uid?: string } } | undefined)?.metadata
          .uid !== uid;
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.send(portBytes(0, port));
        ws.send(portBytes(1, port));
        if (target === undefined) {
          ws.send(
            Buffer.concat([
              Buffer.from([1]),
              Buffer.from(
                `error forwarding port ${port} to pod ${name}: nothing listens there in this simulator`,
              ),
            ]),
          );
          ws.close(1000);
          return;
        }
        const tcp = connect(target.targetPort, target.host);
        tcp.on('data', (chunk: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), chunk])));
        tcp.on('error', (error) => {
          ws.send(
            Buffer.concat([
              Buffer.from([1]),
              Buffer.from(`error forwarding port ${port} to pod ${name}: ${error.message}`),
            ]),
          );
          ws.close(1000);
        });
        tcp.on('end', () => ws.close(1000));
        ws.on('message', (data: Buffer) => {
          if (podGone()) {
            tcp.destroy();
            ws.close(1000);
            return;
          }
          if (data[0] === 0 && data.length > 1) tcp.write(data.subarray(1));
        });
        ws.on('close', () => tcp.destroy());
      });
    },
    async handleControl(req, res) {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      let body: Partial<ForwardTarget>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<ForwardTarget>;
      } catch {
        body = {};
      }
      const valid =
        typeof body.namespace === 'string' &&
        typeof body.labels === 'object' &&
        Number.isInteger(body.port) &&
        typeof body.host === 'string' &&
        Number.isInteger(body.targetPort) &&
        (body.claim === undefined || typeof body.claim === 'string') &&
        (body.logins === undefined ||
          (typeof body.logins === 'object' &&
            body.logins !== null &&
            Object.values(body.logins).every((v) => typeof v === 'string')));
      res.writeHead(valid ? 201 : 400, { 'Content-Type': 'application/json' });
      if (!valid) {
        res.end(
          JSON.stringify({
            error: 'expected {namespace, labels, port, host, targetPort, claim?, logins?: {role: password}}',
          }),
        );
        return;
      }
      targets.push(body as ForwardTarget);
      // Roles are named, passwords never shown.
      res.end(
        JSON.stringify(
          targets.map(({ logins, ...t }) => ({ ...t, ...(logins ? { logins: Object.keys(logins) } : {}) })),
        ),
      );
    },
    postgresBehind(namespace, labels) {
      const target = targets.find(
        (t) =>
          t.namespace === namespace &&
          t.port === 5432 &&
          Object.entries(t.labels).every(([k, v]) => labels[k] === v),
      );
      return target === undefined
        ? undefined
        : { host: target.host, port: target.targetPort, logins: target.logins ?? {} };
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
