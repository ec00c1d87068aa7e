// A run's journal regrouped as a picture needs it: the steps in the order they ran (each undo its own
// entry), each with what happened in it, when, and for how long; waits with their bounds. Pure: the
// renderers draw it, tests read it.
import type { JournalRecord, StepOutcome } from '../engine/journal-events.js';

type Rec<T extends JournalRecord['type']> = Extract<JournalRecord, { type: T }>;

export interface PlannedChange {
  readonly title: string;
  readonly equivalent: string;
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly destructive: boolean;
}

export interface WaitBar {
  readonly step: string;
  /** What was awaited, as the screen said it (with its bound). */
  readonly wait: string;
  readonly outcome: 'met' | 'stuck';
  readonly detail: string;
  /** How long it waited, on the clock its bound is measured on (the simulator's, on a simulated cluster). */
  readonly ms: number;
  /** The wait's bound, from its description ("at most 300s"); undefined when it names none. */
  readonly boundMs: number | undefined;
}

export type StepEvent =
  | {
      readonly type: 'plan';
      readonly time: string;
      readonly changes: readonly PlannedChange[];
      readonly notes: readonly string[];
    }
  | {
      readonly type: 'answer';
      readonly time: string;
      readonly answer: Rec<'answer'>['answer'];
      readonly who: string;
    }
  | {
      readonly type: 'manual';
      readonly time: string;
      readonly title: string;
      readonly outcome: 'confirmed' | 'skipped';
      readonly who: string;
    }
  | {
      readonly type: 'replan';
      readonly time: string;
      readonly attempt: number;
      readonly title: string;
      readonly reason: string;
    }
  | {
      readonly type: 'change';
      readonly time: string;
      readonly change: PlannedChange;
      readonly status: 'done' | 'failed' | 'not-carried-out';
      readonly error: string | undefined;
    }
  | ({ readonly type: 'wait'; readonly time: string } & WaitBar)
  | {
      readonly type: 'waiting';
      readonly time: string;
      readonly wait: string;
      readonly why: string;
      readonly ms: number;
    }
  | { readonly type: 'verify'; readonly time: string; readonly ok: boolean; readonly detail: string };

export type StepState = StepOutcome | 'failed' | 'unfinished';

export interface StepEntry {
  readonly id: string;
  readonly title: string;
  /** An undo offered after a later step failed (`<step>:compensate`). */
  readonly compensation: boolean;
  readonly state: StepState;
  readonly startMs: number;
  readonly endMs: number;
  readonly events: readonly StepEvent[];
  readonly waits: readonly WaitBar[];
}

export interface RunTimeline {
  readonly start: Rec<'start'>;
  readonly resumes: ReadonlyArray<Rec<'resume'>>;
  readonly end: Rec<'end'> | undefined;
  readonly startMs: number;
  readonly endMs: number;
  readonly steps: readonly StepEntry[];
  readonly changesDone: number;
  readonly faults: number;
}

const ms = (iso: string): number => Date.parse(iso);

const BOUND = /\(at most (\d+(?:\.\d+)?)s\)\s*$/;

/** The bound describeWait appends to every wait ("… (at most 300s)"), in ms. */
export function boundOf(description: string): number | undefined {
  const seconds = BOUND.exec(description)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

interface Building {
  id: string;
  title: string;
  state: StepState;
  startMs: number;
  endMs: number;
  events: StepEvent[];
  waits: WaitBar[];
  planned: PlannedChange[];
}

/** The steps and their events from a journal; undefined when it has no start record. */
export function runTimeline(records: readonly JournalRecord[]): RunTimeline | undefined {
  const start = records.find((r): r is Rec<'start'> => r.type === 'start');
  if (start === undefined) return undefined;
  const steps = new Map<string, Building>();
  const resumes: Array<Rec<'resume'>> = [];
  let who = start.operator;
  let end: Rec<'end'> | undefined;
  let changesDone = 0;
  let faults = 0;
  const stepOf = (id: string, at: number, title?: string): Building => {
    let step = steps.get(id);
    if (step === undefined) {
      step = {
        id,
        title: title ?? id,
        state: 'unfinished',
        startMs: at,
        endMs: at,
        events: [],
        waits: [],
        planned: [],
      };
      steps.set(id, step);
    }
    if (title !== undefined) step.title = title;
    step.endMs = Math.max(step.endMs, at);
    return step;
  };
  for (const r of records) {
    const at = ms(r.time);
    switch (r.type) {
      case 'start':
        break;
      case 'resume':
        resumes.push(r);
        who = r.operator;
        end = undefined;
        break;
      case 'end':
        end = r;
        if (r.status !== 'finished') faults++;
        break;
      case 'plan': {
        const step = stepOf(r.step, at, r.title);
        step.planned = r.actions.map((a) => ({
          title: a.title,
          equivalent: a.equivalent,
          before: a.before,
          after: a.after,
          destructive: a.destructive ?? false,
        }));
        step.events.push({ type: 'plan', time: r.time, changes: step.planned, notes: r.notes });
        break;
      }
      case 'answer':
        stepOf(r.step, at).events.push({ type: 'answer', time: r.time, answer: r.answer, who });
        break;
      case 'manual':
        stepOf(r.step, at).events.push({
          type: 'manual',
          time: r.time,
          title: r.title,
          outcome: r.outcome,
          who: r.operator,
        });
        break;
      case 'replan':
        faults++;
        stepOf(r.step, at).events.push({
          type: 'replan',
          time: r.time,
          attempt: r.attempt,
          title: r.title,
          reason: r.reason,
        });
        break;
      case 'action': {
        if (r.status === 'started') {
          stepOf(r.step, at);
          break;
        }
        const step = stepOf(r.step, at);
        const planned = step.planned[r.index];
        if (r.status === 'done') changesDone++;
        if (r.status === 'failed') {
          faults++;
          step.state = 'failed';
        }
        step.events.push({
          type: 'change',
          time: r.time,
          change: {
            title: r.title,
            equivalent: r.equivalent,
            before: planned?.title === r.title ? planned.before : undefined,
            after: planned?.title === r.title ? planned.after : undefined,
            destructive: planned?.title === r.title ? planned.destructive : false,
          },
          status: r.status,
          error: r.error,
        });
        break;
      }
      case 'wait': {
        const bar: WaitBar = {
          step: r.step,
          wait: r.wait,
          outcome: r.outcome,
          detail: r.detail,
          ms: r.ms,
          boundMs: boundOf(r.wait),
        };
        if (r.outcome === 'stuck') faults++;
        const step = stepOf(r.step, at);
        step.waits.push(bar);
        step.events.push({ type: 'wait', time: r.time, ...bar });
        break;
      }
      case 'waiting':
        stepOf(r.step, at).events.push({ type: 'waiting', time: r.time, wait: r.wait, why: r.why, ms: r.ms });
        break;
      case 'verify':
        if (!r.ok) faults++;
        stepOf(r.step, at).events.push({ type: 'verify', time: r.time, ok: r.ok, detail: r.detail });
        break;
      case 'step': {
        const step = stepOf(r.step, at);
        step.state = r.status;
        step.startMs = Math.min(step.startMs, at - r.ms);
        break;
      }
    }
  }
  const startMs = ms(start.time);
  const last = records.at(-1);
  const endMs = Math.max(startMs, last === undefined ? startMs : ms(last.time));
  for (const step of steps.values()) {
    if (step.state !== 'unfinished') continue;
    if (step.id.endsWith(':compensate')) {
      // An undo records no step outcome: it is done once its changes are.
      if (step.events.some((e) => e.type === 'change' && e.status === 'done')) step.state = 'done';
    } else if (end?.status === 'step-failed' || end?.status === 'wait-timeout') {
      // The step the run stopped in (its wait or its check failed) did not finish: it failed.
      step.state = 'failed';
    }
  }
  return {
    start,
    resumes,
    end,
    startMs,
    endMs,
    steps: [...steps.values()].map((s) => ({
      id: s.id,
      title: s.title,
      compensation: s.id.endsWith(':compensate'),
      state: s.state,
      startMs: s.startMs,
      endMs: s.endMs,
      events: s.events,
      waits: s.waits,
    })),
    changesDone,
    faults,
  };
}
