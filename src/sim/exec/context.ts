// What a command run by `kubectl exec` sees: its arguments, its container, the container's scratch
// filesystem, the Postgres behind the pod (if one is registered) and its three streams.
import type { ScratchFs } from './scratch-fs.js';

/** The real PostgreSQL standing behind a simulated Postgres pod (registered with POST /_sim/portforward). */
export interface PostgresBackend {
  readonly host: string;
  readonly port: number;
  /** Passwords of the backend's roles, by role name: handed to the client binaries, never printed. */
  readonly logins: Readonly<Record<string, string>>;
}

export interface ExecContext {
  readonly argv: readonly string[];
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly image: string;
  /** The container's environment as the pod spec gives it (Secret values are never resolved). */
  readonly env: Readonly<Record<string, string>>;
  readonly fs: ScratchFs;
  readonly postgres: PostgresBackend | undefined;
  readonly tty: boolean;
  now(): Date;
  stdout(data: Buffer | string): void;
  stderr(data: Buffer | string): void;
  /** Everything the client sends on stdin until it closes it (bounded); empty without -i. */
  readStdin(maxBytes: number): Promise<Buffer>;
  /** Stdin as it arrives; ends when the client closes it (at once without -i). */
  stdin(): AsyncIterable<Buffer>;
  /** Aborted when the client goes away or the output bound is reached. */
  readonly signal: AbortSignal;
}

/** How a command ended: an exit code, or a failure to start it (the runtime's message). */
export type ExecOutcome = { readonly exitCode: number } | { readonly startError: string };

export type Command = (ctx: ExecContext) => Promise<ExecOutcome> | ExecOutcome;

export const exit = (exitCode: number): ExecOutcome => ({ exitCode });
