// A dry run's honest labels: each change the twin made is also sent to the live API server with
// dryRun=All where Kubernetes allows it (verified), applied to the twin only where the API has no dry
// run (modelled: Linode), or not previewable at all (Postgres). The one executor does all of it.
import type { Action } from '../engine/actions.js';
import { describeAction } from '../engine/describe.js';
import { isRunbookError } from '../engine/errors.js';
import { executeAction } from '../engine/executor.js';
import type { Writers } from '../engine/ports.js';

export type PreviewLabel = 'verified' | 'modelled' | 'not previewable' | 'refused';

export interface PreviewEntry {
  readonly label: PreviewLabel;
  readonly title: string;
  readonly why: string;
}

export function createPreview(
  live: Writers,
  twin: Writers,
): { perform(action: Action): Promise<void>; entries: PreviewEntry[] } {
  const entries: PreviewEntry[] = [];
  return {
    entries,
    async perform(action) {
      const title = describeAction(action).title;
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
      } else if (action.kind.startsWith('linode.')) {
        entries.push({
          label: 'modelled',
          title,
          why: 'the Linode API has no dry run: applied to the twin only',
        });
      } else {
        entries.push({ label: 'not previewable', title, why: 'nothing can rehearse it without doing it' });
      }
      await executeAction(action, twin);
    },
  };
}
