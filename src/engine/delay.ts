// A pause that ends early when the run is interrupted or a wait is over, on the wait's clock.
import { type WaitClock, realClock } from './wait-clock.js';

export function abortableDelay(ms: number, signal: AbortSignal, clock: WaitClock = realClock): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const cancel = clock.after(ms, done);
    function done(): void {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
