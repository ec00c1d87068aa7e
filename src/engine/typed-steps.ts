// The typed way to write steps: `defineRunbook({…}).step({…}).step({…})`. Each step's context is
// typed from the plans of the steps before it (they always ran, or were replayed from the journal),
// so a step reads `ctx.facts.volumeId` without a cast, and reading a fact no earlier step provides
// does not compile. At run time the steps are the engine's erased ones: a list, facts a record.
import type {
  AnyRunbook,
  Check,
  Facts,
  PlanContext,
  Runbook,
  RunbookMeta,
  Step,
  StepPlan,
} from './runbook.js';
import type { Readers } from './ports.js';
import type { ParamSpec } from './params.js';
import type { Added, PlanResult, Prefixed, Provided, UndoPlan } from './step-facts.js';

/** What a typed step is given: the run's parameters, what earlier steps found out, and readers. */
export interface StepContext<P, F> {
  readonly params: P;
  /** Everything earlier steps provide, each fact typed as they return it. */
  readonly facts: F;
  readonly read: Readers;
  readonly signal: AbortSignal;
}

export interface StepDefinition<P, F, R extends PlanResult> {
  /** Stable, kebab-case: appears in logs and journals. */
  readonly id: string;
  readonly title: string;
  /** One or two sentences for `runbook show`: what the step does and why. */
  readonly explain: string;
  /** Reads and returns what to change; its `facts` are what later steps (and its own checks) read. */
  plan(ctx: StepContext<P, F>): Promise<R>;
  /** Post-condition, read-only, checked after the actions and waits. */
  readonly verify?: (ctx: StepContext<P, F & Provided<R>>) => Promise<Check>;
  /** What undoes this step's changes, offered (and confirmed) when a later step fails. */
  readonly compensate?: (ctx: StepContext<P, F & Provided<R>>) => Promise<UndoPlan>;
}

/**
 * Steps that run after others: they read parameters P and the facts N that the steps before them
 * provide, and provide X. Made with `defineSteps<P, N>()`, added to a runbook with `.include(…)`.
 */
export interface StepGroup<P, N, X> {
  readonly steps: ReadonlyArray<Step<P, Facts>>;
  /** Never set: carries what the group reads (P, N) and provides (X) for the compiler. */
  readonly types?: (ctx: StepContext<P, N>) => X;
}

export interface IncludeOptions<Pre extends string> {
  /** Put before each step id and fact name, so one runbook can include a group twice. */
  readonly prefix: Pre;
}

/**
 * A list of typed steps being written: N is what it assumes given, F what its steps provide so far.
 * A fact two of its steps provide is refused (`Added`): a fact has one author.
 */
export type Steps<P, N, F, M = unknown> = M &
  StepGroup<P, N, F> & {
    /** Adds a step; the next one reads the facts this one's plans return. */
    step<R extends PlanResult>(
      definition: StepDefinition<P, N & F, R>,
    ): Added<F, Provided<R>, Steps<P, N, F & Provided<R>, M>>;
    /** Adds a group's steps, its facts under `prefix` (`drain-` + `moved`: `drain-moved`). */
    include<X, const Pre extends string = ''>(
      group: StepGroup<P, N & F, X>,
      options?: IncludeOptions<Pre>,
    ): Added<F, Prefixed<Pre, X>, Steps<P, N, F & Prefixed<Pre, X>, M>>;
  };

/** A runbook being written with `.step(…)`: already a runbook, with the steps added so far. */
export type TypedRunbook<P, F> = Steps<P, unknown, F, Omit<Runbook<P>, 'steps'>>;

/**
 * Steps written to follow others, e.g. shared by two runbooks: `defineSteps<Params, Given>()`,
 * where Given is what the steps before them provide.
 */
export function defineSteps<P, N = unknown>(): Steps<P, N, unknown> {
  return stepList<P, N, unknown, unknown>({}, []);
}

/** The typed runbook `defineRunbook(meta)` starts, with no steps yet. */
export function runbookSteps(meta: RunbookMeta<Readonly<Record<string, ParamSpec<unknown>>>>): AnyRunbook {
  return stepList<unknown, unknown, unknown, Omit<AnyRunbook, 'steps'>>(meta, []);
}

const STEP_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

function stepList<P, N, F, M>(meta: M, steps: ReadonlyArray<Step<P, Facts>>): Steps<P, N, F, M> {
  const adding = (added: ReadonlyArray<Step<P, Facts>>) => {
    for (const step of added) {
      if (!STEP_ID.test(step.id)) throw new Error(`step id "${step.id}" is not kebab-case (like find-pods)`);
      if ([...steps, ...added.slice(0, added.indexOf(step))].some((s) => s.id === step.id))
        throw new Error(`two steps have the id "${step.id}": each step needs its own`);
    }
    return stepList(meta, [...steps, ...added]);
  };
  return {
    ...meta,
    steps,
    step: (definition) => adding([erased(definition)]),
    include: (group, options) => adding(group.steps.map((s) => underPrefix(s, options?.prefix ?? ''))),
  } as Steps<P, N, F, M>;
}

/**
 * The engine's step for a typed one. Its context's facts are those of the steps before it, which
 * the engine ran or replayed from the journal in order, and whose plans typed them: the one place
 * the erased record is read as the typed facts.
 */
function erased<P, F, R extends PlanResult>(definition: StepDefinition<P, F, R>): Step<P, Facts> {
  const typed = <G>(ctx: PlanContext<P, Facts>): StepContext<P, G> => {
    const facts: unknown = ctx.facts;
    return { params: ctx.params, facts: facts as G, read: ctx.read, signal: ctx.signal };
  };
  const { verify, compensate } = definition;
  return {
    id: definition.id,
    title: definition.title,
    explain: definition.explain,
    plan: async (ctx) => planOf(await definition.plan(typed(ctx))),
    ...(verify === undefined ? {} : { verify: (ctx: PlanContext<P, Facts>) => verify(typed(ctx)) }),
    ...(compensate === undefined
      ? {}
      : { compensate: async (ctx: PlanContext<P, Facts>) => planOf(await compensate(typed(ctx))) }),
  };
}

function planOf(plan: PlanResult | UndoPlan): StepPlan<Facts> {
  const facts = 'facts' in plan ? plan.facts : undefined;
  return {
    actions: plan.actions,
    ...(plan.waits === undefined ? {} : { waits: plan.waits }),
    ...(plan.notes === undefined ? {} : { notes: plan.notes }),
    ...(plan.warnings === undefined ? {} : { warnings: plan.warnings }),
    ...(facts === undefined ? {} : { facts: { ...facts } }),
  };
}

/**
 * A group's step under a prefix: its id and the facts it provides get the prefix; it reads its own
 * group's facts without it (and every other fact as it is).
 */
function underPrefix<P>(step: Step<P, Facts>, prefix: string): Step<P, Facts> {
  if (prefix === '') return step;
  const view = (ctx: PlanContext<P, Facts>): PlanContext<P, Facts> => {
    const own = Object.entries(ctx.facts).flatMap(([key, value]): Array<[string, unknown]> =>
      key.startsWith(prefix) ? [[key.slice(prefix.length), value]] : [],
    );
    return { ...ctx, facts: { ...ctx.facts, ...Object.fromEntries(own) } };
  };
  const prefixed = (plan: StepPlan<Facts>): StepPlan<Facts> =>
    plan.facts === undefined
      ? plan
      : {
          ...plan,
          facts: Object.fromEntries(Object.entries(plan.facts).map(([k, v]) => [`${prefix}${k}`, v])),
        };
  return {
    id: `${prefix}${step.id}`,
    title: step.title,
    explain: step.explain,
    plan: async (ctx) => prefixed(await step.plan(view(ctx))),
    ...(step.verify === undefined
      ? {}
      : { verify: (ctx: PlanContext<P, Facts>) => step.verify?.(view(ctx)) ?? unreachable() }),
    ...(step.compensate === undefined
      ? {}
      : { compensate: (ctx: PlanContext<P, Facts>) => step.compensate?.(view(ctx)) ?? unreachable() }),
  };
}

const unreachable = (): never => {
  throw new Error('a step lost its check');
};
