// Confirmations belong to the engine: a step never asks; the engine asks before every change.
import type { ActionDescription } from './vocabulary/index.js';

/** yes: do it · skip: leave this step out and go on · no: stop the run here. */
export type Answer = 'yes' | 'skip' | 'no';

export interface ConfirmQuestion {
  readonly stepTitle: string;
  readonly actions: readonly ActionDescription[];
  /** The step holds manual work: the question is whether the operator has done it. */
  readonly manual?: boolean;
}

/** Which try of a typed name this is: a typo (a pod's random hash) gets another chance. */
export interface NameAttempt {
  readonly number: number;
  readonly of: number;
}

/** How many times a destructive action's name is asked before the run stops. */
export const NAME_TRIES = 3;

export interface Confirmer {
  ask(question: ConfirmQuestion): Promise<Answer>;
  /**
   * For a destructive action: true when the operator typed `expected` exactly. A wrong name is asked
   * again, up to NAME_TRIES times; `attempt` says which try this is.
   */
  typeToConfirm(expected: string, action: ActionDescription, attempt: NameAttempt): Promise<boolean>;
  /** No one is there to answer (--yes): a manual step cannot be confirmed. */
  readonly unattended?: boolean;
}

/** `--yes`: every question answered yes, every name typed. */
export const alwaysYes: Confirmer = {
  ask: () => Promise.resolve('yes'),
  typeToConfirm: () => Promise.resolve(true),
  unattended: true,
};
