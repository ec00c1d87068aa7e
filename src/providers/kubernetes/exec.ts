// A command run in a pod's container through the exec API (client-node's Exec over WebSocket): an
// argument array, never a shell line; its output kept to a bound and its time limited.
import { Writable } from 'node:stream';
import type { V1Status } from '@kubernetes/client-node';
import { RunbookError } from '../../engine/errors.js';
import type { ExecResult, ExecTarget, MutationOptions } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { isNotFound, kubeError } from './errors.js';

/** Keeps the last `limit` bytes written to it, and whether any were dropped. */
class TailSink extends Writable {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0] ?? Buffer.alloc(0);
      const excess = this.size - this.limit;
      this.truncated = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** The exit code the API server's status channel carries: 0 on Success, the cause's on failure. */
function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const code = Number(cause?.message);
  return Number.isInteger(code) ? code : undefined;
}

export async function execInPod(
  clients: KubeClients,
  target: ExecTarget,
  options: MutationOptions,
): Promise<ExecResult> {
  const where = `pod ${target.namespace}/${target.pod}`;
  // Checked first, dry run or not: the pod and the container exist (a clearer sentence than the exec API's).
  let containers: string[];
  try {
    const pod = await clients.core.readNamespacedPod({ namespace: target.namespace, name: target.pod });
    containers = pod.spec?.containers.map((c) => c.name) ?? [];
  } catch (error) {
    if (isNotFound(error))
      throw new RunbookError('step-failed', `No ${where}: the command was not run.`, {
        next: 'Plan the step again to find the pod as it is now.',
      });
    throw kubeError(error, clients.identity.server, `read ${where}`);
  }
  if (!containers.includes(target.container))
    throw new RunbookError(
      'step-failed',
      `${where} has no container ${target.container} (it has ${containers.join(', ')}): the command was not run.`,
    );
  if (options.dryRun === true) return { exitCode: 0, stdout: '', stderr: '', truncated: false };

  const stdout = new TailSink(target.maxOutputBytes);
  const stderr = new TailSink(target.maxOutputBytes);
  const exec = new clients.lib.Exec(clients.config);
  const status = await new Promise<V1Status | 'timeout'>((resolve, reject) => {
    exec
      .exec(
        target.namespace,
        target.pod,
        target.container,
        [...target.command],
        stdout,
        stderr,
        null,
        false,
        resolve,
      )
      .then((socket) => {
        const timer = setTimeout(() => {
          socket.close();
          resolve('timeout');
        }, target.timeoutMs);
        socket.on('close', () => clearTimeout(timer));
      }, reject);
  }).catch((error: unknown) => {
    throw kubeError(error, clients.identity.server, `exec in ${where}`);
  });
  const truncated = stdout.truncated || stderr.truncated;
  if (status === 'timeout')
    return { exitCode: undefined, timedOut: true, stdout: stdout.text(), stderr: stderr.text(), truncated };
  return { exitCode: exitCodeOf(status), stdout: stdout.text(), stderr: stderr.text(), truncated };
}
