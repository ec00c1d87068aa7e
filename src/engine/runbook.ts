// The Runbook / Step model: a runbook is a list of steps; a step only reads and describes.
// This is the engine's erased view (facts as a record); runbooks are written with the typed
// builder (typed-steps.ts), which types each step's facts from the plans of the steps before it.
import type { Action, Wait } from './vocabulary/index.js';
import type { ParamSpec, ParamSpecs, ParamsOf } from './params.js';
import type { Readers } from './ports.js';
import type { Needs } from './needs.js';
import type { RunbookKinds } from './permissions/runbook-kinds.js';
import { type TypedRunbook, runbookSteps } from './typed-steps.js';

/** What the steps of one run have learned so far, as the engine and the journal hold them. */
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
  /** What it needs beyond Kubernetes and Linode: Postgres, the namespaces it changes. */
  readonly needs?: Needs<P>;
  /**
   * The kinds of Action and Wait its steps can plan, the manifest kinds it applies and the Reader
   * methods it calls: what `runbook rbac` and the preflight derive its permissions from. The built-in
   * runbooks declare theirs in permissions/runbook-kinds.ts; a team's runbook declares them here.
   */
  readonly kinds?: RunbookKinds;
}

/** A runbook without its steps: what `defineRunbook` is given before `.step(…)` adds them. */
export type RunbookMeta<S> = Omit<Runbook<ParamsOf<S>>, 'steps' | 'params' | 'readsOnlyWhen' | 'needs'> & {
  readonly params: S;
  readonly readsOnlyWhen?: (params: ParamsOf<S>) => boolean;
  readonly needs?: Needs<ParamsOf<S>>;
};

type Specs = Readonly<Record<string, ParamSpec<unknown>>>;

/**
 * `defineRunbook({ id, title, …, params })` starts a typed runbook: add its steps with `.step({ … })`,
 * each reading what the steps before it provide. The older form, a whole runbook with `steps: […]`
 * and facts read as `Partial<F>`, still loads (team runbooks written with it); it declares its
 * `needs` like any other: no parameter name is read as a namespace.
 */
export function defineRunbook<P, F extends Facts>(runbook: Runbook<P, F>): Runbook<P, F>;
export function defineRunbook<const S extends Specs>(
  meta: RunbookMeta<S>,
): TypedRunbook<ParamsOf<S>, unknown>;
export function defineRunbook(runbook: RunbookMeta<Specs> | Runbook<unknown, Facts>): AnyRunbook {
  return 'steps' in runbook ? runbook : runbookSteps(runbook);
}

/** A runbook with its types erased, as the registry and CLI hold it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRunbook = Runbook<any, any>;
