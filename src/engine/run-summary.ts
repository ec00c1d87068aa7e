// Reads a journal back: how a run started, which steps it finished (for resume), how it ended.
import type { JournalRecord } from './journal-events.js';
import type { CompletedStep } from './run.js';
import type { Facts } from './runbook.js';

export type StartRecord = Extract<JournalRecord, { type: 'start' }>;
export type EndRecord = Extract<JournalRecord, { type: 'end' }>;

export interface RunSummary {
  readonly start: StartRecord;
  /** The last end record; undefined while running, or after a kill -9. */
  readonly end: EndRecord | undefined;
  readonly completed: ReadonlyMap<string, CompletedStep>;
  readonly actionsDone: number;
}

const COMPENSATION = /^(.+):compensate$/;

/**
 * A step undone after a later failure is no longer done, and neither is any step finished after
 * it: those were planned against a state the undo took away, so a resume plans them again.
 */
function forgetFrom(completed: Map<string, CompletedStep>, stepId: string): void {
  let forgetting = false;
  for (const id of [...completed.keys()]) {
    forgetting ||= id === stepId;
    if (forgetting) completed.delete(id);
  }
}

export function summarizeRun(records: readonly JournalRecord[]): RunSummary | undefined {
  const start = records.find((r): r is StartRecord => r.type === 'start');
  if (start === undefined) return undefined;
  const facts = new Map<string, Facts>();
  const completed = new Map<string, CompletedStep>();
  let end: EndRecord | undefined;
  let actionsDone = 0;
  for (const record of records) {
    if (record.type === 'plan') facts.set(record.step, record.facts);
    if (record.type === 'step') {
      // Re-inserted at the end: the map keeps the order in which steps were finished.
      completed.delete(record.step);
      completed.set(record.step, {
        status: record.status,
        facts: facts.get(record.step) ?? {},
      });
    }
    if (record.type === 'action' && record.status === 'done') {
      actionsDone++;
      const undone = COMPENSATION.exec(record.step)?.[1];
      if (undone !== undefined) forgetFrom(completed, undone);
    }
    if (record.type === 'end') end = record;
    if (record.type === 'resume') end = undefined;
  }
  return { start, end, completed, actionsDone };
}
