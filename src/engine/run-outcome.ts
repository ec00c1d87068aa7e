// What a run did, step by step, read from its journal events: what each step changed, which had
// nothing to change, which were skipped and why, and the warnings their plans gave. The final
// summary on the terminal says it, so nothing that mattered scrolls away unrepeated.
import type { JournalEvent, StepOutcome } from './journal-events.js';

export interface StepReport {
  readonly step: string;
  readonly title: string;
  /** undefined: planned but not finished (the run stopped in it). */
  readonly status: StepOutcome | undefined;
  /** The titles of the changes it made (or, in a dry run, would make). */
  readonly changes: readonly string[];
  /** Why it was skipped. */
  readonly why?: string;
  /** Finished by an attempt of the run before it was resumed. */
  readonly beforeResume: boolean;
}

export interface RunOutcome {
  /** Steps in the order they were first planned; undos (compensations) are left out. */
  readonly steps: readonly StepReport[];
  /** Each step's warnings (no backup taken), from its last plan, in step order. */
  readonly warnings: readonly string[];
}

interface Draft {
  title: string;
  status: StepOutcome | undefined;
  changes: string[];
  why: string | undefined;
  warnings: readonly string[];
  beforeResume: boolean;
}

const SKIPPED_BY_OPERATOR = 'skipped by the operator';
const LEFT_OUT = 'left out: a skippable manual step, and --yes has no one to do it';

export function outcomeOf(events: readonly JournalEvent[]): RunOutcome {
  const drafts = new Map<string, Draft>();
  const draft = (step: string, title = step): Draft => {
    let found = drafts.get(step);
    if (found === undefined) {
      found = { title, status: undefined, changes: [], why: undefined, warnings: [], beforeResume: false };
      drafts.set(step, found);
    }
    return found;
  };
  for (const event of events) {
    if ('step' in event && event.step.endsWith(':compensate')) continue;
    switch (event.type) {
      case 'plan':
        draft(event.step, event.title).warnings = event.warnings ?? [];
        break;
      case 'answer':
        if (event.answer === 'skip') draft(event.step).why = SKIPPED_BY_OPERATOR;
        break;
      case 'manual':
        if (event.outcome === 'skipped') draft(event.step).why = LEFT_OUT;
        break;
      case 'action':
        if (event.status === 'done' || event.status === 'not-carried-out')
          draft(event.step).changes.push(event.title);
        break;
      case 'step':
        draft(event.step).status = event.status;
        break;
      case 'resume':
        for (const d of drafts.values()) d.beforeResume = d.status !== undefined;
        break;
      case 'start':
      case 'replan':
      case 'wait':
      case 'waiting':
      case 'verify':
      case 'end':
        break;
    }
  }
  const steps = [...drafts].map(([step, d]): StepReport => ({
    step,
    title: d.title,
    status: d.status,
    changes: d.changes,
    ...(d.status === 'skipped' ? { why: d.why ?? SKIPPED_BY_OPERATOR } : {}),
    beforeResume: d.beforeResume,
  }));
  const warnings = [...new Set([...drafts.values()].flatMap((d) => d.warnings))];
  return { steps, warnings };
}
