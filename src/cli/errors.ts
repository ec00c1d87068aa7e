// Prints how a run ended and returns its exit code: the one place errors become exit codes.
import { RunbookError, isRunbookError } from '../engine/errors.js';
import { EXIT_CODES } from '../engine/exit-codes.js';
import { type Io, println } from './io.js';

export function reportError(error: unknown, io: Io): number {
  const known = toRunbookError(error);
  println(io.stderr, `✖ ${known.message}`);
  if (known.next !== undefined) println(io.stderr, `  → ${known.next}`);
  if (known.code === 'internal' && known.cause !== undefined) {
    println(io.stderr, `  (a bug in runbook; please report it with this trace)`);
    println(
      io.stderr,
      known.cause instanceof Error ? (known.cause.stack ?? known.cause.message) : JSON.stringify(known.cause),
    );
  }
  return EXIT_CODES[known.code];
}

/** Any error as a RunbookError: prompts closed by Ctrl-C and aborts are interruptions, the rest bugs. */
export function toRunbookError(error: unknown): RunbookError {
  if (isRunbookError(error)) return error;
  if (error instanceof Error && error.name === 'ExitPromptError') {
    return new RunbookError('interrupted', 'Interrupted at a question: nothing more was done.');
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new RunbookError('interrupted', 'Interrupted: stopped before the next action.');
  }
  return new RunbookError(
    'internal',
    `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
    },
  );
}
