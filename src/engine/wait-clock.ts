// The time a run's waits are measured in: real time by default, the simulator's clock when a run
// rehearses on it, so "at most 300s" means 300 seconds of the world the run is waiting on.

export interface WaitClock {
  /** Milliseconds since the epoch, in this clock's time. */
  now(): number;
  /** Calls `fn` once after `ms` of this clock's time; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Date.now and setTimeout: the timer handle lives in Node's timer list until it fires or is cleared. */
export const realClock: WaitClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};
