// A run's waits on the simulator's clock: a wait bounded at 300 s ends after 300 simulated seconds,
// so a rehearsal at --speed 600 gives up after half a real second, as the real run would after five
// minutes. At speed 'instant' the simulator fires every timer at once (a bound would end at once
// too), so there the waits keep real time: that rule lives here, in one place.
import { type WaitClock, realClock } from '../engine/wait-clock.js';
import type { SimClock } from './clock.js';

/**
 * The simulator's clock as a WaitClock. Its timers are held strongly in its timer list until they
 * fire; the simulator's own wake-up timer does not keep Node running, so while a wait's timer is
 * pending a real (idle) timer does, as setTimeout would.
 */
export function simWaitClock(clock: SimClock): WaitClock {
  return {
    now: () => clock.nowMs(),
    after(ms, fn) {
      const keepAlive = setInterval(() => undefined, 2 ** 31 - 1);
      const cancel = clock.after(ms, () => {
        clearInterval(keepAlive);
        fn();
      });
      return () => {
        clearInterval(keepAlive);
        cancel();
      };
    },
  };
}

/** The clock a run's waits use against this simulator: its own, unless it runs 'instant'. */
export function waitClockFor(clock: SimClock): WaitClock {
  return clock.speed === 'instant' ? realClock : simWaitClock(clock);
}
