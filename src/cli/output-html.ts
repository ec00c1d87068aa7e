// `-o html` of `runbook log` and `runbook train --history`: the flag's plumbing. The pages are drawn
// by src/report, loaded only when a page is asked for (start-up stays small).
import type { JournalRecord } from '../engine/journal-events.js';
import type { TrainingRecord } from '../training/progress.js';
import type { Io } from './io.js';

/** What a page is drawn from: one run's journal, or every training session kept. */
export type HtmlPicture =
  | { readonly kind: 'log'; readonly runId: string; readonly records: readonly JournalRecord[] }
  | { readonly kind: 'train-history'; readonly records: readonly TrainingRecord[] };

/** One self-contained HTML page (no network: everything inline). */
export type RenderHtml = (picture: HtmlPicture) => string | Promise<string>;

async function renderHtml(picture: HtmlPicture): Promise<string> {
  if (picture.kind === 'log') {
    const [{ renderRunHtml }, { findAnyRunbook }] = await Promise.all([
      import('../report/run-html.js'),
      import('./team/registry.js'),
    ]);
    const id = picture.records.find((r) => r.type === 'start')?.runbook ?? '';
    const title = findAnyRunbook(id)?.title;
    return renderRunHtml(picture.records, title === undefined ? {} : { runbookTitle: title });
  }
  const [{ renderHistoryHtml }, { REAL_RECOVERY }] = await Promise.all([
    import('../report/history-html.js'),
    import('../training/postmortem-durations.js'),
  ]);
  return renderHistoryHtml(picture.records, { real: REAL_RECOVERY });
}

export async function htmlOutput(picture: HtmlPicture, io: Io): Promise<void> {
  io.stdout.write(await renderHtml(picture));
}
