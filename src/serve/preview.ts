// The receiver's labels for a planned change. It holds no live writer, so nothing is sent to the live
// API server, not even with dryRun=All (which a read-only Role refuses anyway): every change is applied
// to the twin only (modelled), and Postgres changes are never carried out (not previewable).
import { type Action, actionDefinition, describeAction } from '../engine/vocabulary/index.js';
import { executeAction } from '../engine/executor.js';
import type { Writers } from '../engine/ports.js';
import type { Performed } from '../engine/run.js';
import type { PreviewEntry } from '../cli/preview.js';

export function createTwinPreview(twin: Writers | undefined): {
  perform(action: Action): Promise<Performed>;
  entries: PreviewEntry[];
} {
  const entries: PreviewEntry[] = [];
  return {
    entries,
    async perform(action) {
      const title = describeAction(action).title;
      const preview = actionDefinition(action).preview;
      if (preview.mode === 'not-previewable' || twin === undefined) {
        const why = preview.mode === 'not-previewable' ? preview.checked : 'there is no twin to model it on';
        entries.push({ label: 'not previewable', title, why });
        return 'not-carried-out';
      }
      entries.push({
        label: 'modelled',
        title,
        why:
          preview.mode === 'twin-only'
            ? preview.why
            : 'checked on the twin; the receiver sends nothing to the live API server',
      });
      await executeAction(action, twin);
      return 'done';
    },
  };
}
