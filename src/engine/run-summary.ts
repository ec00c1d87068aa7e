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
      completed.set(record.step, {
        status: record.status,
        facts: facts.get(record.step) ?? {},
      });
    }
    if (record.type === 'action' && record.status === 'done') actionsDone++;
    if (record.type === 'end') end = record;
    if (record.type === 'resume') end = undefined;
  }
  return { start, end, completed, actionsDone };
}
