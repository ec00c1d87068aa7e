// Prints how a run ended and returns its exit code: the one place errors become exit codes.
import { RunbookError, isRunbookError } from '../engine/errors.js';
import { EXIT_CODES } from '../engine/exit-codes.js';
import { type Io, println } from './io.js';

export function reportError(error: unknown, io: Io): number {
  const known = isRunbookError(error) ? error : asRunbookError(error);
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

function asRunbookError(error: unknown): RunbookError {
  if (error instanceof Error && error.name === 'ExitPromptError') {
    return new RunbookError('interrupted', 'Interrupted at a question: nothing more was done.', {
      next: 'Run the runbook again to continue: finished steps plan nothing.',
    });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new RunbookError('interrupted', 'Interrupted: stopped before the next action.', {
      next: 'Run the runbook again to continue: finished steps plan nothing.',
    });
  }
  return new RunbookError(
    'internal',
    `Unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
    },
  );
}
