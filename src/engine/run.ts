// One run of a runbook: per step, plan → show → confirm → execute → wait → verify, each recorded.
// The CLI drives it step by step (so listr2 can render each step as a task); the order and the
// rules live here. A dry run is the same run against a twin of the cluster: nothing here knows.
import { type Confirmer, NAME_TRIES } from './confirm.js';
import {
  type Action,
  type ActionDescription,
  describeAction,
  describeWait,
  isManual,
  type ManualAction,
} from './vocabulary/index.js';
import { RunbookError, isConflict, isRunbookError } from './errors.js';
import { executeAction } from './executor.js';
import { factsForJournal } from './journal-facts.js';
import { type RunRecorder, type StepOutcome, noRecorder } from './journal-events.js';
import type { Readers, Writers } from './ports.js';
import { Conflicted, MAX_REPLANS, sameActions } from './replan.js';
import type { AnyRunbook, Facts, PlanContext, Step, StepPlan } from './runbook.js';
import { runStepWaits } from './step-waits.js';
import type { QuietWorld } from './quiet-waits.js';
import type { WaitClock } from './wait-clock.js';
import type { WaitProgress } from './wait-progress.js';

/** How a step tells the operator what is going on; the CLI renders it (listr2 task output). */
export interface StepOutput {
  /** A line worth keeping on screen. */
  say(line: string): void;
  /** What is in progress (an action, a wait); replaces the previous one. */
  progress(why: string): void;
  /** A wait's progress (elapsed of its bound, why), every few seconds; else `progress` gets it as a line. */
  waiting?(progress: WaitProgress): void;
}

/** `done-before`: finished by an earlier attempt of this run; not repeated on resume. */
export type StepStatus = StepOutcome | 'done-before';

export interface StepResult {
  readonly stepId: string;
  readonly status: StepStatus;
  readonly actions: number;
}

/** What an earlier attempt of the same run finished, from its journal. */
export interface CompletedStep {
  readonly status: StepOutcome;
  readonly facts: Facts;
}

export interface RunOptions {
  readonly runbook: AnyRunbook;
  readonly params: unknown;
  readonly read: Readers;
  readonly write: Writers;
  readonly confirmer: Confirmer;
  readonly signal: AbortSignal;
  readonly recorder?: RunRecorder;
  /** After this long, a wait still running is recorded (and so told in chat) once; default 60 s. */
  readonly longWaitMs?: number;
  /**
   * What the waits are bounded and timed on: real time by default; the simulator's clock when the
   * run rehearses on it, so a 300 s wait ends after 300 simulated seconds.
   */
  readonly clock?: WaitClock;
  readonly completed?: ReadonlyMap<string, CompletedStep>;
  /**
   * How an action is carried out; by default the executor against `write`. A dry run on a twin
   * passes one that also asks the live API server (dryRun=All) and labels each action, and that
   * answers `not-carried-out` for a change nothing can rehearse (Postgres): checked, never made.
   */
  readonly perform?: (
    action: Action,
    step: { readonly id: string; readonly title: string },
  ) => Promise<Performed>;
  /** A dry run's twin: a wait it can no longer meet ends at once, as the failure live would meet. */
  readonly quiet?: QuietWorld;
  /** A dry run: manual steps are shown, never asked for nor stopped at. */
  readonly dryRun?: boolean;
  /** Who runs it (as the journal's start record says): recorded with each manual step confirmed. */
  readonly operator?: string;
}

/** Whether an action took effect (on the cluster, or on a dry run's twin) or was only checked. */
export type Performed = 'done' | 'not-carried-out';

type AnyStep = Step<unknown, Facts>;

export class RunbookRun {
  readonly results: StepResult[] = [];
  private facts: Facts = {};
  private readonly recorder: RunRecorder;
  /** Steps with an action that was checked but not carried out: their waits and checks cannot hold. */
  private readonly notCarriedOut = new Set<string>();

  constructor(private readonly options: RunOptions) {
    this.recorder = options.recorder ?? noRecorder;
  }

  get steps(): readonly AnyStep[] {
    return this.options.runbook.steps;
  }

  /** Runs one step; `confirmer` overrides the run's (the terminal prompt belongs to the step's task). */
  async runStep(step: AnyStep, out: StepOutput, confirmer = this.options.confirmer): Promise<StepResult> {
    const earlier = this.options.completed?.get(step.id);
    if (earlier !== undefined) {
      this.facts = { ...this.facts, ...earlier.facts };
      return this.finish(step, 'done-before', 0, Date.now());
    }
    const started = Date.now();
    this.throwIfInterrupted();
    let plan = await this.planStep(step, out);
    let performed = 0;
    if (plan.actions.length > 0) {
      if ((await this.confirmPlan(step, plan, confirmer)) === 'skip') {
        out.say(
          confirmer.unattended === true
            ? 'left out: a skippable manual step, and --yes has no one to do it'
            : 'skipped by the operator',
        );
        return this.finish(step, 'skipped', plan.actions.length, started);
      }
      const outcome = await this.performReplanning(step, plan, out, confirmer);
      ({ plan, performed } = outcome);
      if (outcome.skipped) {
        out.say('skipped by the operator');
        return this.finish(step, performed > 0 ? 'done' : 'skipped', performed, started);
      }
    }

    if (this.notCarriedOut.has(step.id)) {
      // Waiting for, or checking, what was never done would only report that it was never done.
      out.say('its result is not checked: the change above was not carried out');
      return this.finish(step, 'done', performed, started);
    }

    await runStepWaits(plan.waits ?? [], {
      stepId: step.id,
      read: this.options.read,
      signal: this.options.signal,
      recorder: this.recorder,
      longWaitMs: this.options.longWaitMs ?? 60_000,
      ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      out,
      ...(this.options.quiet === undefined
        ? {}
        : { quiet: { world: this.options.quiet, stepTitle: step.title } }),
    });

    if (step.verify !== undefined) {
      const check = await step.verify(this.context());
      this.recorder.record({ type: 'verify', step: step.id, ok: check.ok, detail: check.detail });
      if (!check.ok) {
        throw new RunbookError(
          'step-failed',
          `Step "${step.title}" did not reach its goal: ${check.detail}`,
          {
            next: 'Look at the state shown above and fix what blocks it.',
          },
        );
      }
      out.say(`✓ ${check.detail}`);
    }
    return this.finish(step, performed === 0 ? 'nothing-to-do' : 'done', performed, started);
  }

  /**
   * Performs a confirmed plan. An action that meets a change since the plan has the step planned
   * again (at most MAX_REPLANS times); a new plan is asked again unless it does exactly what was left.
   */
  private async performReplanning(
    step: AnyStep,
    confirmed: StepPlan<Facts>,
    out: StepOutput,
    confirmer: Confirmer,
  ): Promise<{ plan: StepPlan<Facts>; performed: number; skipped: boolean }> {
    let plan = confirmed;
    let performed = 0;
    for (let replans = 0; ; replans++) {
      try {
        performed += await this.performAll(step, step.id, plan.actions, out);
        return { plan, performed, skipped: false };
      } catch (error) {
        if (!(error instanceof Conflicted)) throw error;
        performed += error.performed;
        if (replans === MAX_REPLANS) throw keptChanging(step, error);
        const reason = error.conflict.message;
        this.recorder.record({
          type: 'replan',
          step: step.id,
          attempt: replans + 1,
          title: error.title,
          reason,
        });
        out.say(`↻ ${reason} Planning the step again.`);
        plan = await this.planStep(step, out);
        const unchanged = plan.actions.length === 0 || sameActions(error.left, plan.actions);
        if (!unchanged && (await this.confirmPlan(step, plan, confirmer)) === 'skip')
          return { plan, performed, skipped: true };
      }
    }
  }

  /** Plans the step against the cluster as it is now: recorded, shown, its facts kept. */
  private async planStep(step: AnyStep, out: StepOutput): Promise<StepPlan<Facts>> {
    const plan = await step.plan(this.context());
    this.facts = { ...this.facts, ...plan.facts };
    this.recordPlan(step.id, step.title, plan, plan.actions.map(describeAction));
    showPlan(plan, out);
    return plan;
  }

  /** Asks before a plan's changes (and the name of each destructive one); `no` stops the run. */
  private async confirmPlan(
    step: AnyStep,
    plan: StepPlan<Facts>,
    confirmer: Confirmer,
  ): Promise<'yes' | 'skip'> {
    const descriptions = plan.actions.map(describeAction);
    const manual = this.options.dryRun === true ? [] : plan.actions.filter(isManual);
    if (manual.length > 0 && confirmer.unattended === true) return this.unattendedManual(step, manual);
    const answer = await confirmer.ask({
      stepTitle: step.title,
      actions: descriptions,
      ...(manual.length > 0 ? { manual: true } : {}),
    });
    this.recorder.record({ type: 'answer', step: step.id, answer });
    if (answer === 'yes') this.recordManual(step, manual, 'confirmed');
    if (answer === 'no') {
      throw new RunbookError('declined', `Stopped at step "${step.title}": the operator answered no.`, {
        next: 'Nothing after this step ran.',
      });
    }
    if (answer === 'skip') return 'skip';
    for (const description of descriptions) {
      if (description.confirmName !== undefined) await this.typeName(step, description, confirmer);
    }
    return 'yes';
  }

  /** Asks for a destructive action's name, again after a typo, until NAME_TRIES wrong ones stop the run. */
  private async typeName(step: AnyStep, description: ActionDescription, confirmer: Confirmer): Promise<void> {
    const expected = description.confirmName ?? '';
    for (let number = 1; number <= NAME_TRIES; number++) {
      if (await confirmer.typeToConfirm(expected, description, { number, of: NAME_TRIES })) return;
      this.recorder.record({ type: 'answer', step: step.id, answer: 'wrong-name' });
    }
    throw new RunbookError(
      'declined',
      `Stopped at step "${step.title}": the name typed did not match "${expected}" (${NAME_TRIES} tries).`,
      { next: 'Nothing was changed by this step.' },
    );
  }

  /** With --yes no one can confirm manual work: a skippable step is left out, any other stops the run. */
  private unattendedManual(step: AnyStep, manual: readonly ManualAction[]): 'skip' {
    const needed = manual.find((m) => !m.skippable);
    if (needed !== undefined) {
      throw new RunbookError(
        'needs-terminal',
        `Stopped at step "${step.title}": manual step "${needed.title}" needs an operator; run without --yes.`,
        { next: 'Run it again without --yes, in a terminal, to confirm the manual step is done.' },
      );
    }
    this.recordManual(step, manual, 'skipped');
    return 'skip';
  }

  private recordManual(
    step: AnyStep,
    manual: readonly ManualAction[],
    outcome: 'confirmed' | 'skipped',
  ): void {
    const operator = this.options.operator ?? 'unknown';
    for (const m of manual)
      this.recorder.record({ type: 'manual', step: step.id, title: m.title, outcome, operator });
  }

  /** Steps this run changed something in that know how to undo it, the latest first. */
  compensable(): AnyStep[] {
    const done = new Set(this.results.filter((r) => r.status === 'done').map((r) => r.stepId));
    return [...this.steps].reverse().filter((step) => done.has(step.id) && step.compensate !== undefined);
  }

  /**
   * Plans and, once confirmed, performs what undoes `step`: offered after a later step failed.
   * Returns whether anything was changed.
   */
  async compensate(step: AnyStep, out: StepOutput, confirmer = this.options.confirmer): Promise<boolean> {
    if (step.compensate === undefined) return false;
    const plan = await step.compensate(this.context());
    const id = `${step.id}:compensate`;
    const descriptions = plan.actions.map(describeAction);
    this.recordPlan(id, `Undo: ${step.title}`, { ...plan, waits: [], facts: {} }, descriptions);
    showPlan({ ...plan, waits: [] }, out);
    if (plan.actions.length === 0) return false;
    const answer = await confirmer.ask({ stepTitle: `Undo: ${step.title}`, actions: descriptions });
    this.recorder.record({ type: 'answer', step: id, answer });
    if (answer !== 'yes') return false;
    try {
      await this.performAll(step, id, plan.actions, out);
    } catch (error) {
      throw error instanceof Conflicted ? error.conflict : error;
    }
    return true;
  }

  private recordPlan(
    stepId: string,
    title: string,
    plan: StepPlan<Facts>,
    descriptions: readonly ActionDescription[],
  ): void {
    this.recorder.record({
      type: 'plan',
      step: stepId,
      title,
      actions: plan.actions.map((a, i) => ({
        kind: a.kind,
        title: descriptions[i]?.title ?? a.kind,
        equivalent: descriptions[i]?.equivalent ?? '',
        ...(descriptions[i] === undefined
          ? {}
          : {
              before: descriptions[i].before,
              after: descriptions[i].after,
              destructive: descriptions[i].destructive,
            }),
      })),
      waits: (plan.waits ?? []).map(describeWait),
      notes: plan.notes ?? [],
      ...(plan.warnings === undefined || plan.warnings.length === 0 ? {} : { warnings: plan.warnings }),
      facts: factsForJournal(plan.facts ?? {}),
    });
  }

  /**
   * Carries out a confirmed plan's actions in order, each journaled before and after; returns how
   * many were done. An action that meets a change since the plan throws Conflicted (nothing of it
   * was written), for the step to be planned again.
   */
  private async performAll(
    step: AnyStep,
    stepId: string,
    actions: readonly Action[],
    out: StepOutput,
  ): Promise<number> {
    for (const [index, action] of actions.entries()) {
      this.throwIfInterrupted();
      const { title, equivalent } = describeAction(action);
      const base = { type: 'action', step: stepId, index, kind: action.kind, title, equivalent } as const;
      out.progress(`${title} …`);
      this.recorder.record({ ...base, status: 'started' });
      let performed: Performed;
      try {
        performed = await this.perform(action, step);
      } catch (error) {
        if (isConflict(error)) throw new Conflicted(error, index, actions.slice(index), title);
        const failure = asStepFailure(step, title, error);
        this.recorder.record({ ...base, status: 'failed', error: failure.message });
        throw failure;
      }
      this.recorder.record({ ...base, status: performed });
      if (performed === 'not-carried-out') {
        this.notCarriedOut.add(step.id);
        out.say(`○ not carried out (not previewable): ${title}`);
      } else {
        out.say(`✓ ${title}`);
      }
    }
    return actions.length;
  }

  private async perform(action: Action, step: AnyStep): Promise<Performed> {
    if (this.options.perform !== undefined) return this.options.perform(action, step);
    await executeAction(action, this.options.write);
    return 'done';
  }

  private context(): PlanContext<unknown, Facts> {
    return {
      params: this.options.params,
      facts: this.facts,
      read: this.options.read,
      signal: this.options.signal,
    };
  }

  private finish(step: AnyStep, status: StepStatus, actions: number, started: number): StepResult {
    if (status !== 'done-before')
      this.recorder.record({ type: 'step', step: step.id, status, ms: Date.now() - started });
    const result: StepResult = { stepId: step.id, status, actions };
    this.results.push(result);
    return result;
  }

  private throwIfInterrupted(): void {
    if (!this.options.signal.aborted) return;
    const reason: unknown = this.options.signal.reason;
    throw isRunbookError(reason)
      ? reason
      : new RunbookError('interrupted', 'Interrupted: stopped before the next action.');
  }
}

function showPlan(plan: StepPlan<Facts>, out: StepOutput): void {
  for (const warning of plan.warnings ?? []) out.say(`! ${warning}`);
  for (const note of plan.notes ?? []) out.say(note);
  if (plan.actions.length === 0) out.say('nothing to change');
  for (const action of plan.actions) {
    const d = describeAction(action);
    out.say(`→ ${d.title}${d.destructive ? '  [destructive]' : ''}`);
    out.say(`    ${d.before} → ${d.after}`);
    out.say(`    equivalent: ${d.equivalent}`);
  }
  for (const wait of plan.waits ?? []) out.say(`… then ${describeWait(wait)}`);
}

function keptChanging(step: AnyStep, conflicted: Conflicted): RunbookError {
  return new RunbookError(
    'step-failed',
    `Step "${step.title}" stopped: what it changes kept changing under it (planned ${MAX_REPLANS + 1} times). Last: ${conflicted.conflict.message}`,
    { cause: conflicted.conflict, next: conflicted.conflict.next },
  );
}

function asStepFailure(step: AnyStep, title: string, error: unknown): RunbookError {
  if (isRunbookError(error) && error.code !== 'internal') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RunbookError('step-failed', `Step "${step.title}" failed to ${title}: ${reason}`, {
    cause: error,
    next: 'Nothing after this action ran. Check the state it reports.',
  });
}
