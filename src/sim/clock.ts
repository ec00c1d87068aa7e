// The simulator's one source of time: every delay in the simulated world is scheduled here,
// so tests run at full speed with no sleeps and training runs in real time.

/** Simulated milliseconds per real millisecond; `instant` runs every timer as soon as the event loop allows. */
export type ClockSpeed = number | 'instant';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

export interface SimClock {
  /** Simulated time in epoch milliseconds. */
  nowMs(): number;
  now(): Date;
  /** Runs `fn` after `delayMs` of simulated time; returns a function that cancels it. */
  after(delayMs: number, fn: () => void): () => void;
  /**
   * Runs `fn` once simulated time reaches `instantMs`, at that instant, in order with every other
   * timer; unlike `after`, it never moves time itself: under the instant clock time moves only to
   * what `after` waits for (or `advance`), so a schedule that wakes itself cannot race the clock.
   * Beyond REACHED_PER_ADVANCE in one move of the clock, the rest run at the end of the move, as a
   * controller catching up sees only the latest of its missed instants. Returns a cancel function.
   */
  whenReached(instantMs: number, fn: () => void): () => void;
  /** Moves simulated time forward by `ms`, running every timer due on the way, in order. */
  advance(ms: number): void;
  readonly speed: ClockSpeed;
  setSpeed(speed: ClockSpeed): void;
  /** Runs every due timer, in order, until none is left within `horizonMs` of simulated time. */
  settle(horizonMs?: number): void;
  /** Number of `after` timers not yet run (`whenReached` ones wait on time, they do not make it pass). */
  pending(): number;
  stop(): void;
}

/** How many `whenReached` timers one move of the clock runs at their own instants. */
export const REACHED_PER_ADVANCE = 50;

export function parseClockSpeed(text: string): ClockSpeed | undefined {
  if (text === 'instant') return 'instant';
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export function createSimClock(options: { startMs?: number; speed?: ClockSpeed } = {}): SimClock {
  let simNow = options.startMs ?? Date.UTC(2020, 11, 11, 13, 24, 0);
  let speed: ClockSpeed = options.speed ?? 'instant';
  let realAnchor = Date.now();
  let simAnchor = simNow;
  let nextId = 1;
  let timers: Timer[] = [];
  let reached: Timer[] = [];
  let reachedThisAdvance = 0;
  let wakeup: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let stopped = false;

  const currentSim = (): number => {
    if (speed === 'instant') return simNow;
    return Math.max(simNow, simAnchor + (Date.now() - realAnchor) * speed);
  };

  const reanchor = (): void => {
    simNow = currentSim();
    simAnchor = simNow;
    realAnchor = Date.now();
  };

  const clearWakeup = (): void => {
    if (wakeup === undefined) return;
    if (speed === 'instant') clearImmediate(wakeup as NodeJS.Immediate);
    clearTimeout(wakeup as NodeJS.Timeout);
    clearImmediate(wakeup as NodeJS.Immediate);
    wakeup = undefined;
  };

  /** Runs one `whenReached` timer: at its instant, or at `upTo` once this advance ran its cap. */
  const runReached = (timer: Timer, upTo: number): void => {
    if (reachedThisAdvance < REACHED_PER_ADVANCE) {
      reachedThisAdvance += 1;
      simNow = Math.max(simNow, timer.due);
    } else simNow = Math.max(simNow, upTo);
    timer.fn();
  };

  /**
   * Runs every timer due by `until`, in order of simulated time. With `reachTo`, time itself gets to
   * `until`, so every `whenReached` timer up to it runs; without, only those before an `after` timer.
   */
  const runDue = (until: number, reachTo: boolean): void => {
    reachedThisAdvance = 0;
    for (;;) {
      const active = timers[0] !== undefined && timers[0].due <= until ? timers[0] : undefined;
      const waiting = reached[0] !== undefined && reached[0].due <= until ? reached[0] : undefined;
      if (waiting !== undefined && (active === undefined ? reachTo : waiting.due <= active.due)) {
        reached.shift();
        runReached(waiting, active?.due ?? until);
      } else if (active !== undefined) {
        timers.shift();
        simNow = Math.max(simNow, active.due);
        active.fn();
      } else return;
    }
  };

  /** The instant clock's step: the next `after` timer, and the `whenReached` ones due before it. */
  const step = (): void => {
    reachedThisAdvance = 0;
    for (;;) {
      const active = timers[0];
      if (active === undefined) return;
      const waiting = reached[0];
      if (waiting !== undefined && waiting.due <= active.due) {
        reached.shift();
        runReached(waiting, active.due);
        continue;
      }
      timers.shift();
      simNow = Math.max(simNow, active.due);
      active.fn();
      return;
    }
  };

  const schedule = (): void => {
    clearWakeup();
    if (stopped) return;
    const next = timers[0];
    if (speed === 'instant') {
      if (next === undefined) return;
      wakeup = setImmediate(() => {
        wakeup = undefined;
        step();
        schedule();
      });
      return;
    }
    const due = Math.min(next?.due ?? Infinity, reached[0]?.due ?? Infinity);
    if (due === Infinity) return;
    const realDelay = Math.max(0, (due - currentSim()) / speed);
    wakeup = setTimeout(() => {
      wakeup = undefined;
      reanchor();
      runDue(simNow, true);
      schedule();
    }, realDelay);
    wakeup.unref?.();
  };

  const insert = (list: Timer[], timer: Timer): void => {
    const index = list.findIndex((t) => t.due > timer.due);
    if (index === -1) list.push(timer);
    else list.splice(index, 0, timer);
  };

  return {
    nowMs: currentSim,
    now: () => new Date(currentSim()),
    get speed() {
      return speed;
    },
    setSpeed(next) {
      reanchor();
      clearWakeup();
      speed = next;
      reanchor();
      schedule();
    },
    after(delayMs, fn) {
      const timer: Timer = { id: nextId++, due: currentSim() + Math.max(0, delayMs), fn };
      insert(timers, timer);
      schedule();
      return () => {
        timers = timers.filter((t) => t.id !== timer.id);
      };
    },
    whenReached(instantMs, fn) {
      const timer: Timer = { id: nextId++, due: instantMs, fn };
      insert(reached, timer);
      // Under a running clock it wakes the clock as any timer does; under the instant clock it waits.
      if (speed !== 'instant') schedule();
      return () => {
        reached = reached.filter((t) => t.id !== timer.id);
      };
    },
    advance(ms) {
      const target = currentSim() + Math.max(0, ms);
      runDue(target, true);
      simNow = Math.max(simNow, target);
      reanchor();
      schedule();
    },
    settle(horizonMs = 10 * 60_000) {
      const limit = currentSim() + horizonMs;
      runDue(limit, false);
      reanchor();
      schedule();
    },
    pending: () => timers.length,
    stop() {
      stopped = true;
      clearWakeup();
      timers = [];
      reached = [];
    },
  };
}
