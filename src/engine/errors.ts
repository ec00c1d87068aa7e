// One error type per way a run can end badly; the CLI maps each to one exit code (exit-codes.ts).

export type ErrorCode =
  | 'usage'
  | 'invalid-parameter'
  | 'needs-terminal'
  | 'locked'
  | 'not-found'
  | 'declined'
  | 'precondition'
  | 'step-failed'
  | 'wait-timeout'
  | 'cluster-unreachable'
  | 'access-refused'
  | 'missing-permission'
  | 'tls-refused'
  | 'not-configured'
  | 'linode-unreachable'
  | 'database-unreachable'
  | 'database-full'
  | 'backup-failed'
  | 'journal-failed'
  | 'interrupted'
  | 'hangup'
  | 'terminated'
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

/** What the run was to look at is not there: nothing was checked, so nothing can be called healthy. */
export const notFound = (message: string, next?: string): RunbookError =>
  new RunbookError('not-found', message, { next });

export const preconditionFailed = (message: string, next?: string): RunbookError =>
  new RunbookError('precondition', message, { next });

/**
 * The world changed between plan and act: the API server answered 409 Conflict, or what the plan
 * read (a replica count, a node's schedulability) no longer holds. The run re-reads and re-plans the
 * step instead of overwriting someone else's change; if it escapes (the object kept changing), it is
 * a failed step, and a resume plans against the cluster as it is then.
 */
export class ConflictError extends RunbookError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('step-failed', message, {
      ...options,
      next: 'Someone else is changing the same objects: find out who, then run the runbook again.',
    });
    this.name = 'ConflictError';
  }
}

export function isConflict(error: unknown): error is ConflictError {
  return error instanceof ConflictError;
}
