// `-o html` of `runbook log` and `runbook train --history`: the flag's plumbing. The pages themselves
// are drawn by `renderHtml`, which the pictures work supplies; until then the answer is a usage error.
import { usageError } from '../engine/errors.js';
import type { JournalRecord } from '../engine/journal-events.js';
import type { TrainingRecord } from '../training/progress.js';
import type { Io } from './io.js';

/** What a page is drawn from: one run's journal, or every training session kept. */
export type HtmlPicture =
  | { readonly kind: 'log'; readonly runId: string; readonly records: readonly JournalRecord[] }
  | { readonly kind: 'train-history'; readonly records: readonly TrainingRecord[] };

/** One self-contained HTML page (no network: everything inline). */
export type RenderHtml = (picture: HtmlPicture) => string | Promise<string>;

/**
 * The renderer, loaded only when a page is asked for. The pictures work wires its module here, e.g.
 * `import('../pictures/render-html.js').then((m) => m.renderHtml)`.
 */
function loadRenderer(): Promise<RenderHtml | undefined> {
  return Promise.resolve(undefined);
}

export async function htmlOutput(picture: HtmlPicture, io: Io): Promise<void> {
  const renderHtml = await loadRenderer();
  if (renderHtml === undefined) {
    throw usageError(
      'html output is not available yet.',
      'Use -o text, json or yaml (and, for `runbook log`, rst).',
    );
  }
  io.stdout.write(await renderHtml(picture));
}
