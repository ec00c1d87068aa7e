// The backup postgres-remount offers before it takes the database down. With no database to reach
// (Postgres wedged, no URL, no port-forward) it says so and lets the operator go on or stop:
// --backup offer (default) goes on without one, --backup require stops, --backup skip does not ask.
import { isRunbookError } from '../../src/engine/errors.js';
import type { Check } from '../../src/engine/runbook.js';
import type { PlanWith } from '../../src/engine/step-facts.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import { checkBackup, planBackup } from '../postgres-backup/plan.js';
import type { RemountParams } from '../postgres-remount.js';

/** The dumps the backup step took (empty when none was taken). */
export interface BackedUp {
  readonly backupFiles: readonly string[];
}

export async function planRemountBackup({
  params,
  read,
}: StepContext<RemountParams, unknown>): Promise<PlanWith<BackedUp>> {
  if (params.backup === 'skip')
    return { actions: [], warnings: ['NO BACKUP: --backup skip'], facts: { backupFiles: [] } };
  try {
    if (read.postgres === undefined) throw new Error('this run has no connection to Postgres');
    const { action, notes, files } = await planBackup(read.postgres, {
      databases: undefined,
      directory: params.backupDirectory,
      verify: 'list',
    });
    return {
      actions: [action],
      notes: [...notes, 'answer skip to go on without a backup, no to stop here'],
      facts: { backupFiles: files },
    };
  } catch (error) {
    if (params.backup === 'require') throw error;
    const why = isRunbookError(error)
      ? error.message
      : error instanceof Error
        ? error.message
        : String(error);
    return {
      actions: [],
      warnings: [`NO BACKUP: cannot reach Postgres to dump it. ${why}`],
      notes: [
        'Going on without one (--backup offer). To stop instead, answer no at the next step, or run again ' +
          'with --backup require; a wedged Postgres is often unreachable, which is why it is being remounted.',
      ],
      facts: { backupFiles: [] },
    };
  }
}

export async function checkRemountBackup({ facts }: StepContext<RemountParams, BackedUp>): Promise<Check> {
  const files = facts.backupFiles;
  if (files.length === 0) return { ok: true, detail: 'no backup was taken' };
  return checkBackup(files);
}
