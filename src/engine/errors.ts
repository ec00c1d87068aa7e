// One error type per way a run can end badly; the CLI maps each to one exit code (exit-codes.ts).

export type ErrorCode =
  | 'usage'
  | 'invalid-parameter'
  | 'needs-terminal'
  | 'locked'
  | 'declined'
  | 'precondition'
  | 'step-failed'
  | 'wait-timeout'
  | 'cluster-unreachable'
  | 'access-refused'
  | 'linode-unreachable'
  | 'database-unreachable'
  | 'database-full'
  | 'backup-failed'
  | 'interrupted'
  | 'internal';

/** An error whose message is one sentence an operator can act on at 3 a.m. */
export class RunbookError extends Error {
  readonly code: ErrorCode;
  /** What to do next, when there is something better to say than the message. */
  readonly next: string | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; next?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunbookError';
    this.code = code;
    this.next = options.next;
  }
}

export function isRunbookError(error: unknown): error is RunbookError {
  return error instanceof RunbookError;
}

export const usageError = (message: string, next?: string): RunbookError =>
  new RunbookError('usage', message, { next });

export const invalidParameter = (message: string): RunbookError =>
  new RunbookError('invalid-parameter', message);

export const preconditionFailed = (message: string, next?: string): RunbookError =>
  new RunbookError('precondition', message, { next });
