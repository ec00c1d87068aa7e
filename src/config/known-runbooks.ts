// The runbooks runbook.config.yaml may name: the built-in ones, and the team's once its folder has been
// read in this invocation. Before that (or in a command that never reads it), a section naming a
// runbook that is not built in is left unchecked when the team has a folder: it may be one of the
// team's, and the command at hand does not run it.
import { RUNBOOKS } from '../../runbooks/index.js';
import type { AnyRunbook } from '../engine/runbook.js';

let team: readonly AnyRunbook[] | undefined;
let folderFlag = false;

/** The team's runbooks, once its folder has been read (the CLI's team registry says so). */
export function knowTeamRunbooks(runbooks: readonly AnyRunbook[]): void {
  team = runbooks;
}

/** `--runbooks <dir>` was given: the team has a folder even if the file names none. */
export function noteTeamFolderFlag(): void {
  folderFlag = true;
}

export interface KnownRunbooks {
  /** Built-in first, then the team's (when read). */
  readonly runbooks: readonly AnyRunbook[];
  /** Whether an id that is none of them may still be one of the team's, not read in this invocation. */
  readonly teamUnread: boolean;
}

/** `fileNamesFolder`: the configuration file has a runbooksFolder. */
export function knownRunbooks(fileNamesFolder: boolean): KnownRunbooks {
  return {
    runbooks: team === undefined ? RUNBOOKS : [...RUNBOOKS, ...team],
    teamUnread: team === undefined && (fileNamesFolder || folderFlag),
  };
}
