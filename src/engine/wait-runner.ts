// Runs a Wait: watches (Kubernetes) or polls with backoff (Linode has no watch) until the state is
// reached, the wait is provably stuck, or its timeout passes; reports why it is still waiting.
import { abortableDelay } from './delay.js';
import { type Deadline, startDeadline } from './deadline.js';
import { RunbookError } from './errors.js';
import { type WaitClock, realClock } from './wait-clock.js';
import type { Readers, WatchedCollection } from './ports.js';
import { type Evaluation, type Wait, type WaitOutcome, evaluateWait, watchedBy } from './vocabulary/index.js';

export interface WaitRunOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (why: string) => void;
  /** The clock the wait's bound is measured on; real time by default (see wait-clock.ts). */
  readonly clock?: WaitClock;
}

export async function runWait(wait: Wait, read: Readers, options: WaitRunOptions): Promise<WaitOutcome> {
  const watched = watchedBy(wait);
  const evaluate = (): Promise<Evaluation> => evaluateWait(wait, read);
  return watched === 'poll'
    ? pollUntil(wait.timeoutMs, evaluate, options)
    : watchUntil(wait.timeoutMs, watched, evaluate, read, options);
}

function timeoutError(deadline: Deadline, lastWhy: string): RunbookError {
  const next =
    'Look at the reason above, fix what blocks it, then run the runbook again: finished steps plan nothing.';
  return new RunbookError('wait-timeout', `Gave up after ${Math.round(deadline.ms / 1000)}s: ${lastWhy}`, {
    next,
  });
}

/** How the wait ended early: the run's own signal (Ctrl-C, a lost lock) or the bound. */
function endedEarly(deadline: Deadline, options: WaitRunOptions, lastWhy: string): unknown {
  return deadline.ended === 'parent' ? options.signal.reason : timeoutError(deadline, lastWhy);
}

async function watchUntil(
  timeoutMs: number,
  collections: readonly WatchedCollection[],
  evaluate: () => Promise<Evaluation>,
  read: Readers,
  options: WaitRunOptions,
): Promise<WaitOutcome> {
  const deadline = startDeadline(timeoutMs, { parent: options.signal, clock: options.clock ?? realClock });
  const signal = deadline.signal;
  let lastWhy = 'nothing observed yet';
  let running = false;
  let again = false;
  let settled = false;

  return new Promise<WaitOutcome>((resolve, reject) => {
    const finish = (result: { outcome?: WaitOutcome; error?: unknown }): void => {
      if (settled) return;
      settled = true;
      deadline.dispose();
      if (result.outcome !== undefined) resolve(result.outcome);
      else reject(result.error instanceof Error ? result.error : new Error(String(result.error)));
    };
    const check = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const evaluation = await evaluate();
          if (settled) return;
          if ('outcome' in evaluation) {
            finish({ outcome: evaluation.outcome });
            return;
          }
          if (evaluation.waiting !== lastWhy) options.onProgress(evaluation.waiting);
          lastWhy = evaluation.waiting;
        } while (again && !signal.aborted);
      } catch (error) {
        finish({ error });
      } finally {
        running = false;
      }
    };
    const onEnd = (): void => finish({ error: endedEarly(deadline, options, lastWhy) });
    // A run already interrupted ends its deadline at once, before anyone listens.
    if (signal.aborted) {
      onEnd();
      return;
    }
    signal.addEventListener('abort', onEnd, { once: true });
    read.kube
      .watchChanges(collections, () => void check(), signal)
      .catch((error: unknown) => {
        if (!signal.aborted) finish({ error });
      });
  });
}

async function pollUntil(
  timeoutMs: number,
  evaluate: () => Promise<Evaluation>,
  options: WaitRunOptions,
): Promise<WaitOutcome> {
  const clock = options.clock ?? realClock;
  const deadline = startDeadline(timeoutMs, { parent: options.signal, clock });
  // No watch at Linode: look often while the operation is young (a detach takes seconds, and each
  // look late is time lost), then every few seconds.
  let delay = 100;
  let lastWhy = 'nothing observed yet';
  try {
    for (;;) {
      if (deadline.signal.aborted) throw endedEarly(deadline, options, lastWhy);
      // A Linode API that never answers must not hold the wait past its bound.
      const evaluation = await deadline.race(evaluate()).catch((error: unknown) => {
        throw deadline.signal.aborted ? endedEarly(deadline, options, lastWhy) : error;
      });
      if ('outcome' in evaluation) return evaluation.outcome;
      if (evaluation.waiting !== lastWhy) options.onProgress(evaluation.waiting);
      lastWhy = evaluation.waiting;
      const left = deadline.remainingMs();
      if (left <= 0) throw timeoutError(deadline, lastWhy);
      await abortableDelay(Math.min(evaluation.soon === true ? 100 : delay, left), deadline.signal, clock);
      delay = Math.min(delay * 1.5, deadline.elapsedMs() < 60_000 ? 500 : 3000);
    }
  } finally {
    deadline.dispose();
  }
}
