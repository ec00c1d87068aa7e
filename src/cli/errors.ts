// Prints how a run ended and returns its exit code: the one place errors become exit codes.
import { RunbookError, isRunbookError } from '../engine/errors.js';
import { EXIT_CODES } from '../engine/exit-codes.js';
import { type Io, println } from './io.js';

// C0 and C1 controls, DEL, and the bidirectional overrides: a value typed or pasted with them must
// not clear the screen, retitle the terminal or reverse the text of the error that quotes it.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** One line, with every unprintable character shown as its escape (\x1b, \n, \u202e). */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code === 10
      ? '\\n'
      : code < 0x100
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : `\\u${code.toString(16)}`;
  });
}

export function reportError(error: unknown, io: Io): number {
  const known = toRunbookError(error);
  println(io.stderr, `✖ ${printable(known.message)}`);
  if (known.next !== undefined) println(io.stderr, `  → ${printable(known.next)}`);
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
