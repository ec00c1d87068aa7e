// A dry run's waits on a twin: the twin's world runs at full speed, so once nothing in it is pending
// any more, a wait that is still not met never will be. Live, the same wait would sit until its
// timeout and fail; the dry run says so at once, as its finding, instead of waiting for ever.
import { RunbookError } from './errors.js';
import type { Readers } from './ports.js';
import { type Wait, type WaitOutcome, evaluateWait } from './vocabulary/index.js';
import { type WaitRunOptions, runWait } from './wait-runner.js';

/** A world that can say when nothing pending in it can change it any more (the dry-run twin). */
export interface QuietWorld {
  /**
   * Resolves once the world is quiet, with a token of its state: two equal tokens mean nothing
   * changed in between.
   */
  quiet(signal: AbortSignal): Promise<string>;
}

export function predictedFailure(stepTitle: string, wait: Wait, reason: string): RunbookError {
  return new RunbookError(
    'wait-timeout',
    `Dry run: live, step "${stepTitle}" would wait up to ${Math.round(wait.timeoutMs / 1000)} s and fail: ${reason}`,
    {
      next:
        'The twin holds what the live cluster holds now, and nothing in it can still change this. ' +
        'Fix what the reason names before the real run, then rehearse again.',
    },
  );
}

/**
 * Runs `wait` as usual and, beside it, waits for the world to go quiet: then looks once more, and
 * when the wait is still not met and the world did not move meanwhile, ends it as a predicted failure.
 */
export async function runWaitUntilQuiet(
  wait: Wait,
  read: Readers,
  options: WaitRunOptions,
  world: QuietWorld,
  stepTitle: string,
): Promise<WaitOutcome> {
  // One controller held here, fed by the run's signal (no AbortSignal.any: see DESIGN.md §4).
  const done = new AbortController();
  const stop = (): void => done.abort(options.signal.reason);
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });
  const signal = done.signal;
  const waiting = runWait(wait, read, { ...options, signal });
  const judging = (async (): Promise<WaitOutcome> => {
    for (;;) {
      const before = await world.quiet(signal);
      const look = await evaluateWait(wait, read);
      if ('outcome' in look) return look.outcome;
      if ((await world.quiet(signal)) === before) throw predictedFailure(stepTitle, wait, look.waiting);
    }
  })();
  try {
    return await Promise.race([waiting, judging]);
  } finally {
    options.signal.removeEventListener('abort', stop);
    done.abort(new Error('the wait is over'));
    // The loser ends on the abort; its rejection says nothing new.
    waiting.catch(() => undefined);
    judging.catch(() => undefined);
  }
}
