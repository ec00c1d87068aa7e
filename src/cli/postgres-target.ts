// Adds Postgres to a run's target when its runbook needs it: connected first (required) or on first
// use (optional), from --database-url, DATABASE_URL, or a port-forward to the Postgres pod.
import type { KubeWriter, LinodeWriter, PostgresWriter } from '../engine/ports.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { postgresNeedOf } from '../engine/needs.js';
import type { PostgresConnection } from '../providers/postgres/index.js';
import { absentProvider } from './absent-provider.js';
import type { Target } from './target.js';

export interface PostgresTarget {
  readonly target: Target;
  readonly connection: PostgresConnection | undefined;
}

export async function withPostgres(
  target: Target,
  runbook: AnyRunbook,
  params: unknown,
  options: { env: Readonly<Record<string, string | undefined>>; databaseUrl: string | undefined },
): Promise<PostgresTarget> {
  const need = postgresNeedOf(runbook, params);
  if (need === undefined) return { target, connection: undefined };
  const { connectPostgres, createPostgresConnection } = await import('../providers/postgres/index.js');
  const connectOptions = {
    env: options.env,
    kube: target.kube,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    ...need.target,
  };
  const connection =
    need.connect === 'required'
      ? await connectPostgres(connectOptions)
      : createPostgresConnection(connectOptions);
  return {
    connection,
    target: {
      ...target,
      read: { ...target.read, postgres: connection.read },
      write: { ...target.write, postgres: connection.write },
    },
  };
}

/**
 * The Postgres writer of a dry run's target. Postgres is read live (reads are safe) and has no twin:
 * the preview asks the live server what it can answer about a change, and never sends the change.
 * Reaching this writer would mean a Postgres change was about to be made in a dry run: refused.
 */
export const notPreviewablePostgres: PostgresWriter = absentProvider<PostgresWriter>(
  'Postgres',
  'a dry run never changes Postgres',
);

/**
 * Where a dry run's steps read and act: the twin when there is one, with Postgres read live; without
 * a twin (a Postgres-only runbook), the live readers and writers that refuse every change.
 */
export function dryRunTarget(live: Target, twin: Target | undefined, runbookId: string): Target {
  const why = `${runbookId} has no twin of the cluster in this dry run`;
  const base: Target = twin ?? {
    ...live,
    write: {
      kube: absentProvider<KubeWriter>('the cluster', why),
      linode: absentProvider<LinodeWriter>('the Linode API', why),
    },
  };
  return {
    ...base,
    read: { ...base.read, ...(live.read.postgres === undefined ? {} : { postgres: live.read.postgres }) },
    write: {
      ...base.write,
      ...(live.read.postgres === undefined ? {} : { postgres: notPreviewablePostgres }),
    },
  };
}
