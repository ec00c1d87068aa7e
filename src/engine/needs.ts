// What a runbook needs beyond Kubernetes and Linode, declared on the runbook so the CLI reads it
// instead of guessing from parameter names: its Postgres, and the namespaces a run can change.
import type { AnyRunbook } from './runbook.js';

/** The Postgres deployment a run port-forwards to when no database URL is given. */
export interface PostgresDeployment {
  readonly namespace: string;
  readonly deployment: string;
}

export interface PostgresNeed<P> {
  /**
   * `required`: connect before the first step and stop if Postgres does not answer; `optional`:
   * connect lazily, steps say what they do without it.
   */
  readonly connect: 'required' | 'optional';
  /** Which deployment to port-forward to (default: `postgres` in `default`), e.g. from parameters. */
  readonly target?: (params: P) => PostgresDeployment;
}

export interface Needs<P> {
  /** `'required'` / `'optional'` alone: the default deployment (`default/postgres`) or a database URL. */
  readonly postgres?: 'required' | 'optional' | PostgresNeed<P>;
  /**
   * Default: the run connects the cluster and Linode. `for-port-forward-and-lock`: no step reads
   * either; the cluster serves only to port-forward to Postgres when no database URL is given, and
   * to hold the cluster lock when the run changes something. Linode is never connected.
   */
  readonly cluster?: 'for-port-forward-and-lock';
  /**
   * The namespaces a run with these parameters can change: a dry run copies only those into its
   * twin. Default: every namespace.
   */
  readonly namespaces?: (params: P) => readonly string[] | 'all';
}

/** The Postgres a run of `runbook` with `params` connects to, or undefined when it needs none. */
export function postgresNeedOf(
  runbook: AnyRunbook,
  params: unknown,
):
  { readonly connect: 'required' | 'optional'; readonly target: PostgresDeployment | undefined } | undefined {
  const need = runbook.needs?.postgres;
  if (need === undefined) return undefined;
  if (typeof need === 'string') return { connect: need, target: undefined };
  return { connect: need.connect, target: need.target?.(params) };
}

/** The namespaces a dry run's twin copies: those the runbook declares for these parameters, or all. */
export function namespacesOf(runbook: AnyRunbook, params: unknown): readonly string[] | 'all' {
  return runbook.needs?.namespaces?.(params) ?? 'all';
}
