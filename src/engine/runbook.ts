// The Runbook / Step model: a runbook is a list of steps; a step only reads and describes.
import type { Action, Wait } from './vocabulary/index.js';
import type { ParamSpecs } from './params.js';
import type { Readers } from './ports.js';

/** What the steps of one run have learned so far, passed from each step to the next. */
export type Facts = Record<string, unknown>;

export interface PlanContext<P, F extends Facts> {
  readonly params: P;
  /** Everything earlier steps found out (their `facts`), e.g. the volume id and original replicas. */
  readonly facts: Readonly<Partial<F>>;
  readonly read: Readers;
  readonly signal: AbortSignal;
}

export interface StepPlan<F extends Facts> {
  /** What this step will change, in order; empty when the state is already reached. */
  readonly actions: readonly Action[];
  /** What to wait for after the actions (also when there are none: waits are cheap when met). */
  readonly waits?: readonly Wait[];
  /** What later steps need to know. */
  readonly facts?: Partial<F>;
  /** Lines that explain the plan to the operator (what was found, why nothing is needed). */
  readonly notes?: readonly string[];
  /** What the operator must not miss (no backup taken): shown with the step, repeated at the end. */
  readonly warnings?: readonly string[];
}

export interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

export interface Step<P, F extends Facts> {
  /** Stable, kebab-case: appears in logs and journals. */
  readonly id: string;
  readonly title: string;
  /** One or two sentences for `runbook show`: what the step does and why. */
  readonly explain: string;
  plan(ctx: PlanContext<P, F>): Promise<StepPlan<F>>;
  /** Post-condition, read-only, checked after the actions and waits. */
  verify?(ctx: PlanContext<P, F>): Promise<Check>;
  /**
   * What undoes this step's changes, planned like a step against the state it finds, offered (and
   * confirmed) when a later step fails. Steps with nothing sensible to undo leave it out.
   */
  compensate?(ctx: PlanContext<P, F>): Promise<StepPlan<F>>;
}

export interface Runbook<P = Record<string, unknown>, F extends Facts = Facts> {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** The postmortems (file names in postmortems/) whose recovery this runbook codifies. */
  readonly postmortems: readonly string[];
  /** The simulator scenario `--sim` starts when none is named. */
  readonly defaultScenario: string;
  /** Whether any step can change something: such runbooks need a terminal or --yes. */
  readonly mutating: boolean;
  /** Parameters with which no step changes anything: the run then needs no terminal, lock or twin. */
  readonly readsOnlyWhen?: (params: P) => boolean;
  readonly params: ParamSpecs<P>;
  readonly steps: ReadonlyArray<Step<P, F>>;
  /**
   * Providers beyond Kubernetes and Linode. postgres `required`: connect before the first step and
   * stop if Postgres does not answer; `optional`: connect lazily, steps say what they do without it.
   */
  readonly needs?: {
    readonly postgres?: 'required' | 'optional';
    /**
     * Default: the run connects the cluster and Linode. `for-port-forward-and-lock`: no step reads
     * either; the cluster serves only to port-forward to Postgres when no database URL is given, and
     * to hold the cluster lock when the run changes something. Linode is never connected.
     */
    readonly cluster?: 'for-port-forward-and-lock';
  };
}

/** Identity function that keeps the parameter and fact types of a runbook declaration. */
export function defineRunbook<P, F extends Facts>(runbook: Runbook<P, F>): Runbook<P, F> {
  return runbook;
}

/** A runbook with its types erased, as the registry and CLI hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRunbook = Runbook<any, any>;
