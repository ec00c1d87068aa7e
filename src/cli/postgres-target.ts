// Adds Postgres to a run's target when its runbook needs it: connected first (required) or on first
// use (optional), from --database-url, DATABASE_URL, or a port-forward to the Postgres pod.
import type { PostgresWriter } from '../engine/ports.js';
import type { AnyRunbook } from '../engine/runbook.js';
import type { PostgresConnection } from '../providers/postgres/index.js';
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
  const need = runbook.needs?.postgres;
  if (need === undefined) return { target, connection: undefined };
  const { connectPostgres, createPostgresConnection } = await import('../providers/postgres/index.js');
  const { namespace, deployment } = params as { namespace?: unknown; deployment?: unknown };
  const connectOptions = {
    env: options.env,
    kube: target.kube,
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
    ...(typeof namespace === 'string' ? { namespace } : {}),
    ...(typeof deployment === 'string' ? { deployment } : {}),
  };
  const connection =
    need === 'required' ? await connectPostgres(connectOptions) : createPostgresConnection(connectOptions);
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
 * The twin of a dry run has no database of its own: Postgres is read live (reads are safe), and its
 * changes are not previewable, so the twin's writer does nothing and says so.
 */
export const notPreviewablePostgres: PostgresWriter = {
  terminate: (backends) => Promise.resolve({ terminated: [], gone: [], refused: backends.map((b) => b.pid) }),
  backup: () => Promise.resolve([]),
};
