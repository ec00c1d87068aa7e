// What a run connects to, and no more. Most runbooks need the cluster and Linode. A runbook that
// touches only Postgres reads neither: it needs the cluster only to port-forward to Postgres (when no
// database URL is given) and to hold the cluster lock (when it changes something), and Linode never.
// So a Postgres report or dry run given --database-url needs no kubeconfig, and a Postgres change
// always holds the lock, as every change does: a lock that is sometimes skipped tells the next
// operator nothing.
import { existsSync } from 'node:fs';
import type { KubeReader, KubeWriter, LinodeReader, LinodeWriter } from '../engine/ports.js';
import { usageError } from '../engine/errors.js';
import type { AnyRunbook } from '../engine/runbook.js';
import {
  connectKube,
  createKubeReader,
  createKubeWriter,
  resolveKubeconfigPaths,
} from '../providers/kubernetes/index.js';
import { absentProvider } from './absent-provider.js';
import { type PostgresTarget, withPostgres } from './postgres-target.js';
import { type Target, connectTarget } from './target.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface RunTargetOptions {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly env: Env;
  readonly databaseUrl: string | undefined;
  /** The run will change something (not a dry run, not a report): it must hold the cluster lock. */
  readonly changes: boolean;
}

const NO_LINODE = 'not used by this runbook';

function withoutLinode(runbookId: string): { read: LinodeReader; write: LinodeWriter } {
  const why = `${runbookId} does not use the Linode API and did not connect it`;
  return {
    read: absentProvider<LinodeReader>('the Linode API', why),
    write: absentProvider<LinodeWriter>('the Linode API', why),
  };
}

async function postgresOnlyTarget(runbook: AnyRunbook, options: RunTargetOptions): Promise<Target> {
  const linode = withoutLinode(runbook.id);
  const given =
    options.databaseUrl !== undefined
      ? '--database-url'
      : options.env.DATABASE_URL !== undefined && options.env.DATABASE_URL !== ''
        ? 'DATABASE_URL'
        : undefined;
  if (given !== undefined && !options.changes) {
    const why = `Postgres is reached by ${given} and this run changes nothing`;
    return {
      kube: undefined,
      read: {
        kube: absentProvider<KubeReader>('the cluster', `${why}, so no cluster was connected`),
        linode: linode.read,
      },
      write: {
        kube: absentProvider<KubeWriter>('the cluster', `${why}, so no cluster was connected`),
        linode: linode.write,
      },
      cluster: { context: 'no cluster', server: `Postgres via ${given}` },
      nodes: 0,
      linode: { apiUrl: NO_LINODE, account: undefined },
      unused: { cluster: `not used: ${why}`, linode: NO_LINODE },
    };
  }
  const paths = resolveKubeconfigPaths(options);
  if (!paths.some((p) => existsSync(p))) {
    throw given === undefined
      ? usageError(
          `${runbook.id} has no Postgres to reach: no --database-url, no DATABASE_URL, and no kubeconfig at ${paths.join(', ')} to port-forward to its pod through.`,
          'Give --database-url postgres://user@host:5432/db (password in PGPASSWORD), set DATABASE_URL, or pass --kubeconfig <file>.',
        )
      : usageError(
          `${runbook.id} changes Postgres, and every change holds the cluster lock so other operators see who is recovering, but there is no kubeconfig at ${paths.join(', ')}.`,
          'Pass --kubeconfig <file> or set KUBECONFIG; --dry-run shows what it would change without the cluster.',
        );
  }
  const kube = await connectKube(options);
  const read = createKubeReader(kube);
  const nodes = (await read.listNodes()).length;
  return {
    kube,
    read: { kube: read, linode: linode.read },
    write: { kube: createKubeWriter(kube), linode: linode.write },
    cluster: kube.identity,
    nodes,
    linode: { apiUrl: NO_LINODE, account: undefined },
    unused: { linode: NO_LINODE },
  };
}

/** Connects what the runbook needs (failing here, before any step, when it does not answer). */
export async function connectRunTarget(
  runbook: AnyRunbook,
  params: unknown,
  options: RunTargetOptions,
): Promise<PostgresTarget> {
  const target =
    runbook.needs?.cluster === 'for-port-forward-and-lock'
      ? await postgresOnlyTarget(runbook, options)
      : await connectTarget(options);
  return withPostgres(target, runbook, params, { env: options.env, databaseUrl: options.databaseUrl });
}
