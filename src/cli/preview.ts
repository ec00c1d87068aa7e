// A dry run's honest labels: each change the twin made is also sent to the live API server with
// dryRun=All where its kind says the server can rehearse it (verified), applied to the twin only where
// the API has no dry run (modelled: Linode), or not previewable at all (Postgres: checked as far as it
// can be without making it, then left undone). Each kind's preview mode is in src/engine/vocabulary;
// the one executor does all of it.
import { type Action, actionDefinition, describeAction } from '../engine/vocabulary/index.js';
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
      const preview = actionDefinition(action).preview;
      switch (preview.mode) {
        case 'not-previewable':
          // Read live and with no twin (Postgres): the server is asked what it can answer without
          // the change being made, and the change is never sent anywhere.
          try {
            await executeAction(action, live, { dryRun: true });
          } catch (error) {
            throw predictedFailure(error, step.title);
          }
          entries.push({ label: 'not previewable', title, why: preview.checked });
          return 'not-carried-out';
        case 'server-dry-run':
          entries.push(await serverDryRun(action, live, title));
          break;
        case 'twin-only':
          entries.push({ label: 'modelled', title, why: preview.why });
          break;
      }
      await executeAction(action, twin);
      return 'done';
    },
  };
}

/** Sends the change to the live API server with dryRun=All; one whose object only earlier steps make is modelled. */
async function serverDryRun(action: Action, live: Writers, title: string): Promise<PreviewEntry> {
  try {
    await executeAction(action, live, { dryRun: true });
    return { label: 'verified', title, why: 'the live API server accepted it with dryRun=All' };
  } catch (error) {
    const reason = isRunbookError(error) ? error.message : String(error);
    return /not found|NotFound|404/.test(reason)
      ? {
          label: 'modelled',
          title,
          why: 'its object exists only once earlier steps ran; checked on the twin',
        }
      : { label: 'refused', title, why: `the live API server refused it: ${reason}` };
  }
}
