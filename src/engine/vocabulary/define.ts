// What defining a kind of change or of wait takes, once, in its domain's file: how it reads to the
// operator, how a dry run previews it, and how it is performed (through the writers the executor
// passes) or evaluated (through the readers). The tables of index.ts must hold one entry per kind.
import type { Permission } from '../permissions/permission.js';
import type { MutationOptions, Readers, WatchedCollection, Writers } from '../ports.js';

/** What an action will do, in the words an operator checks before saying yes. */
export interface ActionDescription {
  readonly title: string;
  readonly before: string;
  readonly after: string;
  readonly destructive: boolean;
  /** For destructive actions: the name the operator types to confirm. */
  readonly confirmName: string | undefined;
  /** The kubectl command or Linode API call a person would have typed. */
  readonly equivalent: string;
}

/**
 * How a dry run rehearses a kind: `server-dry-run`, sent to the live API server with dryRun=All and
 * then applied to the twin; `twin-only`, the API has no dry run (Linode), applied to the twin;
 * `not-previewable`, checked live as far as it can be without making it (`checked` says how) and left
 * undone.
 */
export type PreviewMode =
  | { readonly mode: 'server-dry-run' }
  | { readonly mode: 'twin-only'; readonly why: string }
  | { readonly mode: 'not-previewable'; readonly checked: string };

export interface ActionDefinition<A extends { readonly kind: string }> {
  describe(action: A): ActionDescription;
  readonly preview: PreviewMode;
  /** What performing it asks of the APIs (RBAC, Linode token scopes): runbooks' Roles derive from it. */
  readonly permissions: readonly Permission[];
  /** Carries the action out; with `options.dryRun`, only what the server can check without it. */
  perform(action: A, writers: Writers, options: MutationOptions): Promise<void>;
}

/** One entry per kind of a union of actions, each typed for its own kind. */
export type ActionDefinitions<A extends { readonly kind: string }> = {
  readonly [K in A['kind']]: ActionDefinition<Extract<A, { readonly kind: K }>>;
};

export type WaitOutcome =
  | { readonly status: 'met'; readonly detail: string }
  /** The awaited state cannot come by itself; `detail` says why and what is stuck. */
  | { readonly status: 'stuck'; readonly detail: string };

/** One look at the world: either the wait is over, or here is why it is not. */
export type Evaluation =
  | { readonly outcome: WaitOutcome }
  /** `soon`: the provider says it is nearly done (a Linode event well under way): look again shortly. */
  | { readonly waiting: string; readonly soon?: boolean };

export interface WaitDefinition<W extends { readonly kind: string; readonly timeoutMs: number }> {
  /** What is awaited, e.g. `wait until node n1 is Ready`; the bound is added by describeWait. */
  describe(wait: W): string;
  /** What watching and evaluating it asks of the APIs (the Reader methods it calls, its watches). */
  readonly permissions: readonly Permission[];
  /** What to watch for changes; `poll` where the provider has no watch (Linode). */
  watched(wait: W): readonly WatchedCollection[] | 'poll';
  evaluate(wait: W, read: Readers): Promise<Evaluation>;
}

export type WaitDefinitions<W extends { readonly kind: string; readonly timeoutMs: number }> = {
  readonly [K in W['kind']]: WaitDefinition<Extract<W, { readonly kind: K }>>;
};

/**
 * A builder that takes every field but the kind: `podsGone({ namespace, labelSelector, ... })`.
 * `{ kind, ...fields }` is exactly a `T`; TypeScript cannot see it through Omit, hence the cast.
 */
export const builder =
  <T extends { readonly kind: string }>(kind: T['kind']) =>
  (fields: Omit<T, 'kind'>): T =>
    ({ kind, ...fields }) as T;

export { plural } from '../plural.js';

/** Shell-quotes one word for a command shown to the operator (never run through a shell). */
export const quote = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

/** The one progress sentence of a Linode event: `volume_detach event 7 is started (40%)`. */
export const eventProgress = (event: {
  readonly id: number;
  readonly status: string;
  readonly percent_complete?: number | null;
}): string =>
  `event ${event.id} is ${event.status}${event.percent_complete == null ? '' : ` (${event.percent_complete}%)`}`;
