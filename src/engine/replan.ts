// When an action finds its object changed since the plan (a ConflictError), the step is planned
// again rather than overwriting someone else's change: how often, and whether to ask again.
import type { Action } from './vocabulary/index.js';
import type { ConflictError } from './errors.js';

/** How many times one step is planned again before its conflict stops the run (exit 1, resumable). */
export const MAX_REPLANS = 3;

/** Thrown inside the run when an action of a confirmed plan met a conflict; never leaves RunbookRun. */
export class Conflicted extends Error {
  constructor(
    readonly conflict: ConflictError,
    /** Actions of the plan already performed before the conflict. */
    readonly performed: number,
    /** The action that met the conflict and those after it: what was left to do. */
    readonly left: readonly Action[],
    /** The conflicting action, as the plan described it. */
    readonly title: string,
  ) {
    super(conflict.message);
    this.name = 'Conflicted';
  }
}

/** A new plan that does exactly what was left to do needs no second confirmation. */
export function sameActions(left: readonly Action[], next: readonly Action[]): boolean {
  return JSON.stringify(left) === JSON.stringify(next);
}
