// One run of a runbook: per step, plan → show → confirm → execute → wait → verify.
// The CLI drives it step by step (so listr2 can render each step as a task); the order and the
// rules live here. A dry run is the same run against a twin of the cluster: nothing here knows.
import type { Action } from './actions.js';
import type { Confirmer } from './confirm.js';
import { describeAction } from './describe.js';
import { RunbookError, isRunbookError } from './errors.js';
import { executeAction } from './executor.js';
import type { Readers, Writers } from './ports.js';
import type { AnyRunbook, Facts, PlanContext, Step, StepPlan } from './runbook.js';
import { runWait } from './wait-runner.js';
import { describeWait } from './waits.js';

/** How a step tells the operator what is going on; the CLI renders it (listr2 task output). */
export interface StepOutput {
  /** A line worth keeping on screen. */
  say(line: string): void;
  /** Why a wait is still waiting; replaces the previous reason. */
  progress(why: string): void;
}

export type StepStatus = 'done' | 'nothing-to-do' | 'skipped';

export interface StepResult {
  readonly stepId: string;
  readonly status: StepStatus;
  readonly actions: readonly Action[];
}

export interface RunOptions {
  readonly runbook: AnyRunbook;
  readonly params: unknown;
  readonly read: Readers;
  readonly write: Writers;
  readonly confirmer: Confirmer;
  readonly signal: AbortSignal;
}

export class RunbookRun {
  readonly results: StepResult[] = [];
  private facts: Facts = {};

  constructor(private readonly options: RunOptions) {}

  get steps(): ReadonlyArray<Step<unknown, Facts>> {
    return this.options.runbook.steps;
  }

  /** Runs one step; `confirmer` overrides the run's (the terminal prompt belongs to the step's task). */
  async runStep(
    step: Step<unknown, Facts>,
    out: StepOutput,
    confirmer = this.options.confirmer,
  ): Promise<StepResult> {
    const { signal } = this.options;
    this.throwIfInterrupted();
    const ctx = this.context();
    const plan = await step.plan(ctx);
    this.facts = { ...this.facts, ...plan.facts };
    showPlan(plan, out);

    if (plan.actions.length > 0) {
      const descriptions = plan.actions.map(describeAction);
      const answer = await confirmer.ask({ stepTitle: step.title, actions: descriptions });
      if (answer === 'no') {
        throw new RunbookError('declined', `Stopped at step "${step.title}": the operator answered no.`, {
          next: 'Nothing after this step ran. Run the runbook again when ready: finished steps plan nothing.',
        });
      }
      if (answer === 'skip') {
        out.say('skipped by the operator');
        return this.record(step, 'skipped', plan);
      }
      for (const description of descriptions) {
        if (description.confirmName === undefined) continue;
        if (!(await confirmer.typeToConfirm(description.confirmName, description))) {
          throw new RunbookError(
            'declined',
            `Stopped at step "${step.title}": the name typed did not match "${description.confirmName}".`,
            { next: 'Nothing was changed by this step. Run the runbook again and type the name exactly.' },
          );
        }
      }
      for (const [index, action] of plan.actions.entries()) {
        this.throwIfInterrupted();
        const title = descriptions[index]?.title ?? action.kind;
        out.progress(`${title} …`);
        await executeAction(action, this.options.write).catch((error: unknown) => {
          throw asStepFailure(step, title, error);
        });
        out.say(`✓ ${title}`);
      }
    }

    for (const wait of plan.waits ?? []) {
      out.progress(describeWait(wait));
      const outcome = await runWait(wait, this.options.read, {
        signal,
        onProgress: (why) => out.progress(why),
      });
      out.say(outcome.status === 'met' ? `✓ ${outcome.detail}` : `! ${outcome.detail}`);
    }

    if (step.verify !== undefined) {
      const check = await step.verify(this.context());
      if (!check.ok) {
        throw new RunbookError(
          'step-failed',
          `Step "${step.title}" did not reach its goal: ${check.detail}`,
          {
            next: 'Look at the state shown above; run the runbook again once it is fixed, finished steps plan nothing.',
          },
        );
      }
      out.say(`✓ ${check.detail}`);
    }
    return this.record(step, plan.actions.length === 0 ? 'nothing-to-do' : 'done', plan);
  }

  private context(): PlanContext<unknown, Facts> {
    return {
      params: this.options.params,
      facts: this.facts,
      read: this.options.read,
      signal: this.options.signal,
    };
  }

  private record(step: Step<unknown, Facts>, status: StepStatus, plan: StepPlan<Facts>): StepResult {
    const result: StepResult = { stepId: step.id, status, actions: plan.actions };
    this.results.push(result);
    return result;
  }

  private throwIfInterrupted(): void {
    if (this.options.signal.aborted) {
      throw new RunbookError('interrupted', 'Interrupted: stopped before the next action.', {
        next: 'Run the runbook again to continue: finished steps plan nothing.',
      });
    }
  }
}

function showPlan(plan: StepPlan<Facts>, out: StepOutput): void {
  for (const note of plan.notes ?? []) out.say(note);
  if (plan.actions.length === 0) {
    out.say('nothing to change');
  }
  for (const action of plan.actions) {
    const d = describeAction(action);
    out.say(`→ ${d.title}${d.destructive ? '  [destructive]' : ''}`);
    out.say(`    ${d.before} → ${d.after}`);
    out.say(`    equivalent: ${d.equivalent}`);
  }
  for (const wait of plan.waits ?? []) out.say(`… then ${describeWait(wait)}`);
}

function asStepFailure(step: Step<unknown, Facts>, title: string, error: unknown): RunbookError {
  if (isRunbookError(error) && error.code !== 'internal') return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new RunbookError('step-failed', `Step "${step.title}" failed to ${title}: ${reason}`, {
    cause: error,
    next: 'Nothing after this action ran. Check the state it reports, then run the runbook again.',
  });
}
