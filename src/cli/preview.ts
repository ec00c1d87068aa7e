// A dry run's honest labels: each change the twin made is also sent to the live API server with
// dryRun=All where Kubernetes allows it (verified), applied to the twin only where the API has no dry
// run (modelled: Linode), or not previewable at all (Postgres: checked as far as it can be without
// making it, then left undone). The one executor does all of it.
import type { Action } from '../engine/actions.js';
import { describeAction } from '../engine/describe.js';
import { RunbookError, isRunbookError } from '../engine/errors.js';
import { executeAction } from '../engine/executor.js';
import type { Writers } from '../engine/ports.js';
import type { Performed } from '../engine/run.js';

export type PreviewLabel = 'verified' | 'modelled' | 'not previewable' | 'refused';

export interface PreviewEntry {
  readonly label: PreviewLabel;
  readonly title: string;
  readonly why: string;
}

/** What a dry run checks of a change Postgres cannot rehearse, in the words of the preview. */
const POSTGRES_CHECKED: Partial<Record<Action['kind'], string>> = {
  'postgres.backup':
    'no dump can be rehearsed without taking it; checked instead: the directory takes a file, pg_dump and ' +
    'pg_restore run and are not older than the server, the server answers. Nothing was written',
  'postgres.terminate':
    'no termination can be rehearsed; checked instead: each backend is still there and this role may ' +
    'signal it. Nothing was terminated',
};

/** A check that failed is what the real run would meet at this step: said so, with the step named. */
function predictedFailure(error: unknown, stepTitle: string): RunbookError {
  const failure = isRunbookError(error)
    ? error
    : new RunbookError('step-failed', error instanceof Error ? error.message : String(error));
  return new RunbookError(failure.code, `Predicted to fail at step "${stepTitle}": ${failure.message}`, {
    cause: failure,
    next: `${failure.next === undefined ? '' : `${failure.next} `}This was a dry run: nothing was changed.`,
  });
}

export function createPreview(
  live: Writers,
  twin: Writers,
): {
  perform(action: Action, step: { readonly title: string }): Promise<Performed>;
  entries: PreviewEntry[];
} {
  const entries: PreviewEntry[] = [];
  return {
    entries,
    async perform(action, step) {
      const title = describeAction(action).title;
      if (action.kind.startsWith('postgres.')) {
        // Postgres is read live and has no twin: the server is asked what it can answer without
        // the change being made, and the change is never sent anywhere.
        try {
          await executeAction(action, live, { dryRun: true });
        } catch (error) {
          throw predictedFailure(error, step.title);
        }
        entries.push({
          label: 'not previewable',
          title,
          why: POSTGRES_CHECKED[action.kind] ?? 'nothing can rehearse it without doing it',
        });
        return 'not-carried-out';
      }
      if (action.kind.startsWith('k8s.')) {
        try {
          await executeAction(action, live, { dryRun: true });
          entries.push({ label: 'verified', title, why: 'the live API server accepted it with dryRun=All' });
        } catch (error) {
          const reason = isRunbookError(error) ? error.message : String(error);
          const missing = /not found|NotFound|404/.test(reason);
          entries.push(
            missing
              ? {
                  label: 'modelled',
                  title,
                  why: 'its object exists only once earlier steps ran; checked on the twin',
                }
              : { label: 'refused', title, why: `the live API server refused it: ${reason}` },
          );
        }
      } else {
        entries.push({
          label: 'modelled',
          title,
          why: 'the Linode API has no dry run: applied to the twin only',
        });
      }
      await executeAction(action, twin);
      return 'done';
    },
  };
}
