// A run's own result for `-o json`: one JSON document on stdout when the run ends (finished or not),
// while the task list and every line meant for a person go to stderr.
import type { ChangeMade } from '../engine/changes-made.js';
import type { RunbookError } from '../engine/errors.js';
import { EXIT_CODES } from '../engine/exit-codes.js';
import type { StepResult } from '../engine/run.js';
import { type Io, println } from './io.js';
import { parseOutput } from './output.js';

export interface RunResult {
  readonly runId?: string;
  readonly runbook: string;
  readonly dryRun: boolean;
  /** finished, or the code it stopped with (step-failed, declined, interrupted …). */
  readonly status: string;
  readonly exitCode: number;
  readonly seconds: number;
  readonly steps: readonly StepResult[];
  readonly changes: readonly ChangeMade[];
  readonly message?: string;
  readonly next?: string;
}

/** Whether a run prints its result as JSON (text is the default; anything else is refused, exit 3). */
export function wantsJsonResult(output: string | undefined): boolean {
  return parseOutput(output, ['text', 'json']) === 'json';
}

export function printRunResult(
  io: Io,
  run: Omit<RunResult, 'status' | 'exitCode' | 'message' | 'next'>,
  failure?: RunbookError,
): void {
  const result: RunResult = {
    ...run,
    status: failure === undefined ? 'finished' : failure.code,
    exitCode: failure === undefined ? 0 : EXIT_CODES[failure.code],
    ...(failure === undefined ? {} : { message: failure.message }),
    ...(failure?.next === undefined ? {} : { next: failure.next }),
  };
  println(io.stdout, JSON.stringify(result, null, 2));
}
