// The type of what a step tells later steps, read off the plans it returns: a fact every plan gives is
// `T`, a fact only some plans give is `T | undefined`, and an object the journal keeps only by name
// (a Kubernetes object, see journal-facts.ts) may come back from a resume as that name.
import type { Action, Wait } from './vocabulary/index.js';
import type { OmittedObject } from './journal-facts.js';

/** What a typed step's plan returns; `facts` are what later steps may read. */
export interface PlanResult {
  readonly actions: readonly Action[];
  readonly waits?: readonly Wait[];
  readonly notes?: readonly string[];
  /** What the operator must not miss (no backup taken): shown with the step, repeated at the end. */
  readonly warnings?: readonly string[];
  readonly facts?: object;
}

/** A plan that gives exactly the facts `F`: the return type of a helper that plans a step. */
export interface PlanWith<F extends object> extends PlanResult {
  readonly facts: F;
}

/** A plan that tells later steps nothing. */
export interface BarePlan {
  readonly actions: readonly Action[];
  readonly waits?: readonly Wait[];
  readonly notes?: readonly string[];
  readonly warnings?: readonly string[];
}

/** What undoes a step: planned like a step, with no facts (nothing runs after an undo). */
export type UndoPlan = BarePlan;

/** The facts of each kind of plan a step returns (a union), `undefined` for a plan with none. */
type FactsOfPlans<R> = R extends unknown ? ('facts' extends keyof R ? R['facts'] : undefined) : never;

type KeysOf<U> = U extends object ? keyof U : never;

/** The value a fact has after the plan `U` (one member of the union): undefined when it does not give it. */
type ValueIn<U, K extends PropertyKey> = U extends object
  ? K extends keyof U
    ? U[K]
    : undefined
  : undefined;

/** A Kubernetes object: the journal keeps only its kind and name, so a resume gets that back. */
interface KubeObjectLike {
  readonly apiVersion: string;
  readonly kind: string;
}

/** A fact as a later step reads it: as given, or (after a resume) as the journal kept it. */
export type Replayed<T> = T extends KubeObjectLike
  ? T | OmittedObject
  : T extends ReadonlyArray<infer U>
    ? U extends KubeObjectLike
      ? ReadonlyArray<U | OmittedObject>
      : T
    : T;

/** The facts a step provides, from the plans its `plan` returns (R, a union of plan types). */
export type Provided<R> = {
  readonly [K in KeysOf<FactsOfPlans<R>>]: Replayed<ValueIn<FactsOfPlans<R>, K>>;
};

/** Facts keyed under a prefix (`drain-` + `moved` = `drain-moved`): a step group used twice in one run. */
export type Prefixed<Prefix extends string, F> = {
  readonly [K in keyof F & string as `${Prefix}${K}`]: F[K];
};

type Overlap<F, N> = Extract<keyof F, keyof N>;

/** `F & N`, or a sentence naming the fact two steps both provide (a fact has one author). */
export type Added<F, N, Next> = [Overlap<F, N>] extends [never]
  ? Next
  : `fact "${Overlap<F, N> & string}" is already provided by an earlier step: give it another name`;
