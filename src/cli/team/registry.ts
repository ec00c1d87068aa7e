// The runbooks this invocation knows: the built-in ones, then the team's (when its folder was loaded).
import { RUNBOOKS } from '../../../runbooks/index.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { knowTeamRunbooks } from '../../config/known-runbooks.js';
import type { TeamRunbook } from './load-runbooks.js';

let team: readonly TeamRunbook[] = [];

export function setTeamRunbooks(loaded: readonly TeamRunbook[]): void {
  team = loaded;
  knowTeamRunbooks(loaded.map((t) => t.runbook));
}

/** The built-in runbooks, then the team's. */
export const allRunbooks = (): readonly AnyRunbook[] => [...RUNBOOKS, ...team.map((t) => t.runbook)];

export const teamRunbooks = (): readonly TeamRunbook[] => team;

/** A built-in runbook or the team's, by id. */
export function findAnyRunbook(id: string): AnyRunbook | undefined {
  return RUNBOOKS.find((r) => r.id === id) ?? team.find((t) => t.runbook.id === id)?.runbook;
}
