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
  readonly speed: ClockSpeed;
  setSpeed(speed: ClockSpeed): void;
  /** Runs every due timer, in order, until none is left within `horizonMs` of simulated time. */
  settle(horizonMs?: number): void;
  /** Number of timers not yet run. */
  pending(): number;
  stop(): void;
}

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

  const runDue = (until: number): void => {
    for (;;) {
      const next = timers[0];
      if (next === undefined || next.due > until) return;
      timers.shift();
      simNow = Math.max(simNow, next.due);
      next.fn();
    }
  };

  const schedule = (): void => {
    clearWakeup();
    if (stopped) return;
    const next = timers[0];
    if (next === undefined) return;
    if (speed === 'instant') {
      wakeup = setImmediate(() => {
        wakeup = undefined;
        const first = timers[0];
        if (first !== undefined) {
          timers.shift();
          simNow = Math.max(simNow, first.due);
          first.fn();
        }
        schedule();
      });
      return;
    }
    const realDelay = Math.max(0, (next.due - currentSim()) / speed);
    wakeup = setTimeout(() => {
      wakeup = undefined;
      reanchor();
      runDue(simNow);
      schedule();
    }, realDelay);
    wakeup.unref?.();
  };

  const insert = (timer: Timer): void => {
    const index = timers.findIndex((t) => t.due > timer.due);
    if (index === -1) timers.push(timer);
    else timers.splice(index, 0, timer);
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
      insert(timer);
      schedule();
      return () => {
        timers = timers.filter((t) => t.id !== timer.id);
      };
    },
    settle(horizonMs = 10 * 60_000) {
      const limit = currentSim() + horizonMs;
      runDue(limit);
      reanchor();
      schedule();
    },
    pending: () => timers.length,
    stop() {
      stopped = true;
      clearWakeup();
      timers = [];
    },
  };
}
