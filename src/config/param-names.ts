// How the file names a parameter: as `runbook show` and the flag do (`backup-directory`), not as the
// code does (`backupDirectory`).
import { flagFor } from '../engine/params.js';
import type { AnyRunbook } from '../engine/runbook.js';

/** A parameter's name in the file: the flag without its dashes (`backup-directory`). */
export const fileName = (param: string): string => flagFor(param).slice(2);

/** The spec's name for a name as written in the file, if the runbook has that parameter. */
export function specName(runbook: AnyRunbook, name: string): string | undefined {
  return Object.keys(runbook.params).find((p) => fileName(p) === name);
}
