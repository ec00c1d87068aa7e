// How a wait tells its progress: how long it has waited against its bound, and why it still waits,
// refreshed every few seconds of the clock it is bounded on, so the operator sees it is alive.

/** A wait's state, as shown on screen. */
export interface WaitProgress {
  /** Why it still waits (what is not reached yet). */
  readonly reason: string;
  readonly elapsedMs: number;
  readonly boundMs: number;
}

/** How often a running wait's elapsed time is told again, on the wait's clock. */
export const WAIT_REFRESH_MS = 2_000;

/** `0:42`, `5:00`, `1:02:03`: minutes and seconds, hours when there are any. */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** `waiting 0:42 of 5:00 — volume … still attached`. */
export const waitLine = (p: WaitProgress): string =>
  `waiting ${clockTime(p.elapsedMs)} of ${clockTime(p.boundMs)} — ${p.reason}`;
