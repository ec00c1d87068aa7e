// Taking over someone's stale cluster lock is a destructive act on their behalf: it always needs the
// holder's name, typed at a terminal or given as --break-lock=<holder>, and --yes never answers it.
import { RunbookError } from '../engine/errors.js';
import type { LockHolder } from '../engine/vocabulary/index.js';
import { type PromptStreams, confirmByName } from './prompt-confirmer.js';

/** What --break-lock was given: absent, bare (`true`), or naming the holder to replace. */
export type BreakLockFlag = boolean | string | undefined;

/** Whether the flag asks to take over a stale lock at all (the lock itself checks it is stale). */
export const wantsBreak = (flag: BreakLockFlag): boolean =>
  flag === true || (typeof flag === 'string' && flag !== '');

/**
 * Confirms taking over `stale`'s lock. A flag naming someone else refuses (nothing was changed);
 * a bare flag asks for the name at the terminal (on `streams`, with the typed-name question every
 * destructive change asks), and without one refuses: exit 10, like any question with no terminal to
 * ask on, because `--break-lock=<holder>` is the answer given ahead.
 */
export function confirmBreak(
  flag: BreakLockFlag,
  stale: LockHolder,
  terminal: boolean,
  streams: PromptStreams,
): Promise<boolean> {
  if (typeof flag === 'string' && flag !== '') {
    if (flag.trim() === stale.identity) return Promise.resolve(true);
    return Promise.reject(
      new RunbookError(
        'declined',
        `--break-lock names ${flag}, but the cluster lock is held by ${stale.identity} (${stale.runbook}, run ${stale.runId}): left as it is.`,
        { next: `Make sure that run is dead, then pass --break-lock=${stale.identity}.` },
      ),
    );
  }
  if (!terminal)
    return Promise.reject(
      new RunbookError(
        'needs-terminal',
        `Taking over the stale cluster lock of ${stale.identity} needs its holder's name typed and there is no terminal: pass --break-lock=${stale.identity}.`,
      ),
    );
  return confirmByName(
    streams,
    stale.identity,
    `take over the stale cluster lock of ${stale.identity} (${stale.runbook}, run ${stale.runId})`,
  );
}
