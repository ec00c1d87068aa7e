// kubectl exec (and kubectl cp, which is exec of tar) against the simulator: the pods/exec
// WebSocket as kubectl 1.32 speaks it (v5.channel.k8s.io, or v4), the kubelet's checks and its
// status on the error channel, and a command run in the container's simulated world.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ResourceAttributes } from '../kube/authorization.js';
import type { KubeWorld } from '../world.js';
import { runCommand } from './commands.js';
import { type ContainerSpec, type PodShape, containerEnv } from './container-env.js';
import type { ExecContext, ExecOutcome, PostgresBackend } from './context.js';
import { createScratchStore } from './scratch-fs.js';
import { createLineDiscipline } from './tty.js';
import { authorizeUpgrade, refuseUpgrade } from '../upgrade-refusal.js';

export const EXEC_LIMITS = {
  /** stdout and stderr together, per exec. */
  outputBytes: 4 * 1024 * 1024,
  /** stdin queued and not yet read, per exec. */
  stdinBytes: 24 * 1024 * 1024,
};

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/;
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;
const FRAME = 64 * 1024;

export const isExecPath = (url: string | undefined): boolean =>
  PATH.test(new URL(url ?? '/', 'http://127.0.0.1').pathname);

interface PodWithStatus extends PodShape {
  status?: PodShape['status'] & {
    phase?: string;
    containerStatuses?: Array<{ name?: string; state?: { running?: unknown } }>;
  };
  metadata: PodShape['metadata'] & { annotations?: Record<string, string> };
}

/** The kubelet's status on the error channel (remotecommand v4+): success, exit code, or a start failure. */
function statusOf(argv: readonly string[], outcome: ExecOutcome): Record<string, unknown> {
  if ('startError' in outcome) {
    const id = randomBytes(32).toString('hex');
    const cause = `error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: ${outcome.startError}: unknown`;
    return {
      metadata: {},
      status: 'Failure',
      message: `Internal error occurred: ${cause}`,
      reason: 'InternalError',
      details: { causes: [{ message: cause }] },
      code: 500,
    };
  }
  if (outcome.exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${outcome.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(outcome.exitCode) }] },
  };
}

export function createExec(
  kube: KubeWorld,
  options: {
    now: () => Date;
    postgresBehind: (namespace: string, labels: Record<string, string>) => PostgresBackend | undefined;
    /** Throws the API server's 403 (an ApiError) when the access policy refuses the request. */
    authorize?: (attributes: ResourceAttributes) => void;
  },
): { handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void; close(): void } {
  const scratch = createScratchStore(() => Math.floor(options.now().getTime() / 1000));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  const session = (
    ws: WebSocket,
    base: Omit<ExecContext, 'stdout' | 'stderr' | 'readStdin' | 'stdin' | 'signal'>,
    wants: { stdin: boolean },
  ): void => {
    const aborted = new AbortController();
    let sent = 0;
    let overflow = false;
    const write = (channel: number, data: Buffer | string): void => {
      if (aborted.signal.aborted || ws.readyState !== ws.OPEN) return;
      let bytes = typeof data === 'string' ? Buffer.from(data) : data;
      if (base.tty) bytes = Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
      if (sent + bytes.length > EXEC_LIMITS.outputBytes) {
        bytes = bytes.subarray(0, Math.max(0, EXEC_LIMITS.outputBytes - sent));
        overflow = true;
      }
      sent += bytes.length;
      for (let at = 0; at < bytes.length; at += FRAME)
        ws.send(Buffer.concat([Buffer.from([base.tty ? STDOUT : channel]), bytes.subarray(at, at + FRAME)]));
      if (overflow) aborted.abort();
    };

    const queue: Buffer[] = [];
    let queued = 0;
    let stdinClosed = !wants.stdin;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const accept = (chunk: Buffer): void => {
      if (stdinClosed) return;
      queued += chunk.length;
      if (queued > EXEC_LIMITS.stdinBytes) {
        stdinClosed = true;
        aborted.abort();
      } else queue.push(chunk);
      notify();
    };
    const closeStdin = (): void => {
      stdinClosed = true;
      notify();
    };
    let interrupted = false;
    const terminal = base.tty
      ? createLineDiscipline({
          echo: (text) => write(STDOUT, text),
          line: (text) => accept(Buffer.from(text)),
          endOfInput: closeStdin,
          interrupt: () => {
            interrupted = true;
            closeStdin();
            aborted.abort();
          },
        })
      : undefined;
    ws.on('message', (data: Buffer) => {
      const channel = data[0];
      if (channel === STDIN && data.length > 1) {
        const chunk = Buffer.from(data.subarray(1));
        if (terminal === undefined) accept(chunk);
        else terminal.input(chunk);
      } else if (channel === CLOSE && data[1] === STDIN) closeStdin();
    });
    ws.on('close', () => {
      stdinClosed = true;
      aborted.abort();
      notify();
    });
    async function* stdin(): AsyncGenerator<Buffer> {
      for (;;) {
        const chunk = queue.shift();
        if (chunk !== undefined) {
          queued -= chunk.length;
          yield chunk;
          continue;
        }
        if (stdinClosed || aborted.signal.aborted) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    }
    const ctx: ExecContext = {
      ...base,
      stdout: (data) => write(STDOUT, data),
      stderr: (data) => write(STDERR, data),
      stdin,
      async readStdin(maxBytes) {
        const parts: Buffer[] = [];
        let total = 0;
        for await (const chunk of stdin()) {
          total += chunk.length;
          if (total > maxBytes) break;
          parts.push(chunk);
        }
        return Buffer.concat(parts);
      },
      signal: aborted.signal,
    };
    runCommand(ctx)
      .catch((error: unknown): ExecOutcome => {
        write(STDERR, `${error instanceof Error ? error.message : String(error)}\n`);
        return { exitCode: 1 };
      })
      .then((outcome) => {
        if (ws.readyState !== ws.OPEN) return;
        // A Ctrl-C ends the command as SIGINT does a shell's foreground job.
        let final = interrupted ? { exitCode: 130 } : outcome;
        if (overflow) {
          const note = `\n(simulator: output stopped after ${EXEC_LIMITS.outputBytes / 1024 / 1024} MiB)\n`;
          ws.send(Buffer.concat([Buffer.from([base.tty ? STDOUT : STDERR]), Buffer.from(note)]));
          if (!('startError' in outcome) && outcome.exitCode === 0) final = { exitCode: 1 };
        }
        ws.send(
          Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(statusOf(base.argv, final)))]),
        );
        ws.close(1000);
      })
      .catch(() => ws.terminate());
  };

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const [, namespace = '', name = ''] = PATH.exec(url.pathname) ?? [];
      if (!authorizeUpgrade(socket, options.authorize, { subresource: 'exec', namespace, name })) return;
      const pod = kube.get('v1', 'Pod', namespace, name) as PodWithStatus | undefined;
      if (pod === undefined) return refuseUpgrade(socket, 404, 'NotFound', `pods "${name}" not found`);
      const argv = url.searchParams.getAll('command');
      const containers = pod.spec?.containers ?? [];
      const wanted = url.searchParams.get('container') ?? '';
      let container: ContainerSpec | undefined;
      if (wanted === '') {
        if (containers.length !== 1)
          return refuseUpgrade(
            socket,
            400,
            'BadRequest',
            `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
          );
        container = containers[0];
      } else container = containers.find((c) => c.name === wanted);
      if (container === undefined)
        return refuseUpgrade(socket, 400, 'BadRequest', `container ${wanted} is not valid for pod ${name}`);
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed')
        return refuseUpgrade(
          socket,
          400,
          'BadRequest',
          `cannot exec into a container in a completed pod; current phase is ${phase}`,
        );
      if (pod.spec?.nodeName === undefined)
        return refuseUpgrade(socket, 400, 'BadRequest', `pod ${name} does not have a host assigned`);
      const running = pod.status?.containerStatuses?.find((s) => s.name === container.name)?.state?.running;
      if (running === undefined) {
        // The kubelet answers in plain text; kubectl prefixes "unable to upgrade connection: ".
        const text = `container not found ("${container.name}")`;
        socket.end(
          `HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
        );
        return;
      }
      if (argv.length === 0)
        return refuseUpgrade(socket, 400, 'BadRequest', 'you must specify at least 1 command');
      if (req.headers.upgrade?.toLowerCase() !== 'websocket')
        return refuseUpgrade(
          socket,
          400,
          'BadRequest',
          'the simulator serves exec over WebSocket (v5.channel.k8s.io) only, not SPDY',
        );
      const found = container;
      const labels = pod.metadata.labels ?? {};
      wss.handleUpgrade(req, socket, head, (ws) => {
        session(
          ws,
          {
            argv,
            namespace,
            pod: name,
            container: found.name,
            image: found.image ?? '',
            env: containerEnv(kube, pod, found),
            fs: scratch.of(pod.metadata.uid ?? `${namespace}/${name}`, found.name, {
              '/etc/hostname': `${name}\n`,
            }),
            postgres: options.postgresBehind(namespace, labels),
            tty: url.searchParams.get('tty') === 'true',
            now: options.now,
          },
          { stdin: url.searchParams.get('stdin') === 'true' },
        );
      });
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
