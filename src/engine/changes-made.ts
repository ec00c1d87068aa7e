// What a run has changed so far, kept in memory beside the journal: when the journal itself cannot be
// written, or the run dies of an unexpected error, the operator still learns what was changed.
import type { JournalEvent, RunRecorder } from './journal-events.js';

export interface ChangeMade {
  readonly step: string;
  readonly title: string;
  readonly equivalent: string;
}

export class ChangesMade implements RunRecorder {
  readonly list: ChangeMade[] = [];

  record(event: JournalEvent): void {
    if (event.type === 'action' && event.status === 'done') {
      this.list.push({ step: event.step, title: event.title, equivalent: event.equivalent });
    }
  }

  /** Lines to print after a failure: nothing when nothing was changed. */
  lines(): string[] {
    if (this.list.length === 0) return [];
    return [
      `Changed before it stopped (${this.list.length}):`,
      ...this.list.map((c) => `  ✓ ${c.title}   (${c.equivalent})`),
    ];
  }
}
