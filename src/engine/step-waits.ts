// A step's waits, one after the other: each told on screen as it goes (how long, against its bound,
// and why it still waits, again every few seconds), a long one recorded once (and so told in chat),
// and its outcome journaled.
import type { RunRecorder } from './journal-events.js';
import type { Readers } from './ports.js';
import { type QuietWorld, runWaitUntilQuiet } from './quiet-waits.js';
import { type WaitClock, realClock } from './wait-clock.js';
import { runWait } from './wait-runner.js';
import { type Wait, describeWait, waitGoal } from './vocabulary/index.js';
import { WAIT_REFRESH_MS, type WaitProgress, waitLine } from './wait-progress.js';

export interface StepWaitOptions {
  readonly stepId: string;
  readonly read: Readers;
  readonly signal: AbortSignal;
  readonly recorder: RunRecorder;
  /** After this long, a wait still running is recorded once. */
  readonly longWaitMs: number;
  /** What the waits' bounds and elapsed times are measured on; real time by default. */
  readonly clock?: WaitClock;
  readonly out: {
    say(line: string): void;
    progress(why: string): void;
    /** Given, it gets each wait's progress (else `progress` gets it as one line). */
    waiting?(progress: WaitProgress): void;
  };
  /** A dry run's twin: a wait it can no longer meet ends at once as a predicted failure. */
  readonly quiet?: { readonly world: QuietWorld; readonly stepTitle: string };
}

export async function runStepWaits(waits: readonly Wait[], options: StepWaitOptions): Promise<void> {
  const { stepId, recorder, out } = options;
  const clock = options.clock ?? realClock;
  for (const wait of waits) {
    const waitStarted = clock.now();
    const description = describeWait(wait);
    let why = waitGoal(wait);
    const show = (): void => {
      const progress = { reason: why, elapsedMs: clock.now() - waitStarted, boundMs: wait.timeoutMs };
      if (out.waiting === undefined) out.progress(waitLine(progress));
      else out.waiting(progress);
    };
    show();
    // Told again every few seconds of the wait's clock, the reason unchanged or not.
    let cancelRefresh = (): void => undefined;
    const refresh = (): void => {
      cancelRefresh = clock.after(WAIT_REFRESH_MS, () => {
        show();
        refresh();
      });
    };
    refresh();
    const cancelLongWait = clock.after(options.longWaitMs, () => {
      recorder.record({
        type: 'waiting',
        step: stepId,
        wait: description,
        why,
        ms: clock.now() - waitStarted,
      });
    });
    const runOptions = {
      signal: options.signal,
      clock,
      onProgress: (reason: string) => {
        why = reason;
        show();
      },
    };
    const { quiet } = options;
    const outcome = await (
      quiet === undefined
        ? runWait(wait, options.read, runOptions)
        : runWaitUntilQuiet(wait, options.read, runOptions, quiet.world, quiet.stepTitle)
    ).finally(() => {
      cancelLongWait();
      cancelRefresh();
    });
    recorder.record({
      type: 'wait',
      step: stepId,
      wait: description,
      outcome: outcome.status,
      detail: outcome.detail,
      ms: clock.now() - waitStarted,
    });
    out.say(outcome.status === 'met' ? `✓ ${outcome.detail}` : `! ${outcome.detail}`);
  }
}
