// The vocabulary: every kind of Action and of Wait, gathered from the domain files into two tables
// the compiler holds complete (a kind without its entry does not build), and the look-ups the engine
// uses in place of switches. Runbooks import their builders and types from here.
import type { Readers, WatchedCollection } from '../ports.js';
import type { LeaseAction } from './cluster-lock.js';
import { clusterLockActions } from './cluster-lock.js';
import type {
  ActionDefinition,
  ActionDefinitions,
  ActionDescription,
  Evaluation,
  WaitDefinition,
  WaitDefinitions,
} from './define.js';
import { type KubernetesWait, kubernetesWaits } from './kubernetes-waits.js';
import { type KubernetesAction, kubernetesActions } from './kubernetes.js';
import { type KubernetesExecAction, kubernetesExecActions } from './kubernetes-exec.js';
import { type KubernetesStorageAction, kubernetesStorageActions } from './kubernetes-storage.js';
import { type LinodeAction, type LinodeWait, linodeActions, linodeWaits } from './linode.js';
import {
  type LinodeVolumeAction,
  type LinodeVolumeWait,
  linodeVolumeActions,
  linodeVolumeWaits,
} from './linode-volumes.js';
import { type OperatorAction, operatorActions } from './operator.js';
import { type PostgresAction, type PostgresWait, postgresActions, postgresWaits } from './postgres.js';

export type * from './define.js';
export * from './cluster-lock.js';
export * from './kubernetes.js';
export * from './kubernetes-exec.js';
export * from './kubernetes-status.js';
export * from './kubernetes-storage.js';
export * from './kubernetes-waits.js';
export * from './linode.js';
export * from './linode-volumes.js';
export * from './operator.js';
export * from './postgres.js';

/** Everything a runbook can change, as data. Steps return these; only the executor performs them. */
export type Action =
  | LeaseAction
  | KubernetesAction
  | KubernetesExecAction
  | KubernetesStorageAction
  | LinodeAction
  | LinodeVolumeAction
  | PostgresAction
  | OperatorAction;
export type ActionKind = Action['kind'];

/** What a step waits for after its actions, as data: run by watching, bounded by a timeout. */
export type Wait = KubernetesWait | LinodeWait | LinodeVolumeWait | PostgresWait;
export type WaitKind = Wait['kind'];

export const ACTIONS: ActionDefinitions<Action> = {
  ...clusterLockActions,
  ...kubernetesActions,
  ...kubernetesStorageActions,
  ...kubernetesExecActions,
  ...linodeActions,
  ...linodeVolumeActions,
  ...postgresActions,
  ...operatorActions,
};

export const WAITS: WaitDefinitions<Wait> = {
  ...kubernetesWaits,
  ...linodeWaits,
  ...linodeVolumeWaits,
  ...postgresWaits,
};

/**
 * The definition of an action's own kind. The table is complete and keyed by kind, so the entry
 * found is the one for `A`; TypeScript cannot follow a key to its entry's type, hence the one cast.
 */
export const actionDefinition = <A extends Action>(action: A): ActionDefinition<A> =>
  ACTIONS[action.kind] as unknown as ActionDefinition<A>;

/** The definition of a wait's own kind (the same one cast as actionDefinition's). */
export const waitDefinition = <W extends Wait>(wait: W): WaitDefinition<W> =>
  WAITS[wait.kind] as unknown as WaitDefinition<W>;

/** What an action will do, in the words an operator checks before saying yes. */
export const describeAction = (action: Action): ActionDescription =>
  actionDefinition(action).describe(action);

/** What a wait waits for, with its bound: `wait until … (at most 300s)`. */
export const describeWait = (wait: Wait): string =>
  `${waitDefinition(wait).describe(wait)} (at most ${Math.round(wait.timeoutMs / 1000)}s)`;

/** What a wait waits for, before its first look: `until …` (its definitions all say `wait until …`). */
export const waitGoal = (wait: Wait): string =>
  waitDefinition(wait)
    .describe(wait)
    .replace(/^wait /, '');

/** What a wait watches for changes; `poll` where the provider has no watch. */
export const watchedBy = (wait: Wait): readonly WatchedCollection[] | 'poll' =>
  waitDefinition(wait).watched(wait);

/** One look at what a wait waits for: met, stuck, or why it is still waiting. */
export const evaluateWait = (wait: Wait, read: Readers): Promise<Evaluation> =>
  waitDefinition(wait).evaluate(wait, read);
