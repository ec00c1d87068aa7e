// THE way to bound a wait. AbortSignal.timeout / AbortSignal.any are not used (the lint forbids them):
// on Node 20 a signal combined from a timeout may never fire once the garbage collector has run, and a
// bound that depends on the GC is no bound. Here a plain timer, whose cancel handle the deadline holds,
// aborts a controller the deadline owns; a parent signal is followed until the deadline is disposed.
import { type WaitClock, realClock } from './wait-clock.js';

/** How a deadline ended: its time passed, its parent aborted, or it was disposed. */
export type DeadlineEnd = 'time' | 'parent' | 'disposed';

/** The reason a deadline's signal carries when its time passed. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${Math.round(ms / 1000)}s`);
    this.name = 'DeadlineExceeded';
  }
}

export interface DeadlineOptions {
  /** Aborting it ends the deadline too (with the parent's reason). */
  readonly parent?: AbortSignal;
  readonly clock?: WaitClock;
}

export class Deadline {
  readonly startedAt: number;
  readonly endsAt: number;
  readonly clock: WaitClock;
  private readonly controller = new AbortController();
  private readonly cancels: Array<() => void> = [];
  private end: DeadlineEnd | undefined;

  constructor(
    readonly ms: number,
    private readonly options: DeadlineOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.startedAt = this.clock.now();
    this.endsAt = this.startedAt + Math.max(0, ms);
    const parent = options.parent;
    if (parent?.aborted === true) {
      this.finish('parent', parent.reason);
      return;
    }
    if (parent !== undefined) {
      parent.addEventListener('abort', this.onParentAbort, { once: true });
      this.cancels.push(() => parent.removeEventListener('abort', this.onParentAbort));
    }
    this.cancels.push(this.clock.after(Math.max(0, ms), () => this.finish('time', new DeadlineExceeded(ms))));
  }

  /** Aborts when the deadline ends, however it ends (its reason says how). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Undefined while it runs. */
  get ended(): DeadlineEnd | undefined {
    return this.end;
  }

  /** True when the bound itself ended it (its time passed, or the clock said nothing more will happen). */
  get expired(): boolean {
    return this.end === 'time';
  }

  remainingMs(): number {
    return Math.max(0, this.endsAt - this.clock.now());
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt;
  }

  /** Ends the deadline (its signal aborts) and lets go of its timer and the parent: call it in finally. */
  dispose(): void {
    this.finish('disposed', new Error('the bounded work is over'));
  }

  /**
   * Settles with `work`, or rejects as soon as the deadline ends (with its signal's reason): for
   * calls that take no signal, or may not honour one. The work itself is left to finish unobserved.
   */
  race<T>(work: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal.aborted) {
      work.catch(() => undefined);
      return Promise.reject(toError(signal.reason));
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(toError(signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(toError(error));
        },
      );
    });
  }

  private readonly onParentAbort = (): void => {
    this.finish('parent', this.options.parent?.reason);
  };

  private finish(end: DeadlineEnd, reason: unknown): void {
    if (this.end !== undefined) return;
    this.end = end;
    for (const cancel of this.cancels.splice(0)) cancel();
    this.controller.abort(reason);
  }
}

/** A deadline `ms` from now, on `options.clock` (real time by default). */
export function startDeadline(ms: number, options: DeadlineOptions = {}): Deadline {
  return new Deadline(ms, options);
}

/** Runs `work` bounded by a fresh deadline, disposed whatever happens. */
export async function withDeadline<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  options: DeadlineOptions = {},
): Promise<T> {
  const deadline = startDeadline(ms, options);
  try {
    return await deadline.race(work(deadline.signal));
  } finally {
    deadline.dispose();
  }
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
