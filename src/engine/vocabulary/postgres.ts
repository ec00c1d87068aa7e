// The changes a runbook makes to a Postgres server, and what it waits for there, each defined once.
// Nothing can rehearse them without making them: a dry run checks what the servers can answer (who
// may be signalled, what a dump or a restore needs) and leaves them undone.
import { RunbookError } from '../errors.js';
import type {
  Backend,
  BackupRequest,
  PostgresReader,
  RestoreRequest,
  RestoreTarget,
  TableCount,
} from '../postgres-ports.js';
import { globalsFileName } from '../postgres-ports.js';
import { PORT_FORWARD_NEEDS } from '../permissions/readers.js';
import type { Writers } from '../ports.js';
import { type ActionDefinitions, type WaitDefinitions, builder, plural, quote } from './define.js';

/** A backend chosen for termination, with what the operator saw when choosing it. */
export interface TerminateTarget {
  readonly pid: number;
  readonly backendStart: string;
  readonly application: string;
  readonly client: string;
  readonly state: string;
  readonly stateSeconds: number;
}

export interface PostgresTerminateAction {
  readonly kind: 'postgres.terminate';
  /** The server, password redacted. */
  readonly server: string;
  /** The operator's selection in words, e.g. `idle connections of site idle for 10+ minutes`. */
  readonly selection: string;
  /** What the operator types to confirm: the application, or the database when none was named. */
  readonly confirmName: string;
  readonly backends: readonly TerminateTarget[];
}

export interface PostgresBackupAction {
  readonly kind: 'postgres.backup';
  readonly server: string;
  readonly request: BackupRequest;
}

/** Restores a backup taken by postgres.backup into another server, then compares the row counts. */
export interface PostgresRestoreAction {
  readonly kind: 'postgres.restore';
  /** The server the backup came from (compared with), password redacted. */
  readonly source: string;
  readonly request: RestoreRequest;
}

export type PostgresAction = PostgresTerminateAction | PostgresBackupAction | PostgresRestoreAction;

/** Until the server reports major version `major` (server_version_num / 10000). */
export interface PostgresVersionWait {
  readonly kind: 'postgres.server-version';
  /** The server asked, password redacted: the run's Postgres connection. */
  readonly server: string;
  readonly major: number;
  readonly timeoutMs: number;
}

export type PostgresWait = PostgresVersionWait;

export const terminateBackends = (
  server: string,
  selection: string,
  confirmName: string,
  backends: readonly Backend[],
): PostgresTerminateAction => ({
  kind: 'postgres.terminate',
  server,
  selection,
  confirmName,
  backends: backends.map(({ pid, backendStart, application, client, state, stateSeconds }) => ({
    pid,
    backendStart,
    application,
    client,
    state,
    stateSeconds,
  })),
});

export const backupDatabases = (server: string, request: BackupRequest): PostgresBackupAction => ({
  kind: 'postgres.backup',
  server,
  request,
});

/** How a restore's target reads: its URL, or `the Postgres pod of deployment ns/name`. */
export const targetName = (target: RestoreTarget): string =>
  typeof target === 'string'
    ? target
    : `the Postgres pod of deployment ${target.namespace}/${target.deployment}`;

/**
 * `restoreBackup(source, { target, directory, stamp, databases, globals })`. A target URL with a
 * password is refused: the action is journaled and shown, and the password would be with it.
 */
export const restoreBackup = (source: string, request: RestoreRequest): PostgresRestoreAction => {
  if (typeof request.target === 'string' && /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(request.target)) {
    throw new RunbookError(
      'invalid-parameter',
      'The restore target names its password in its URL, where every plan and journal would show it.',
      { next: 'Give the URL without the password, and the password in RUNBOOK_TARGET_PGPASSWORD.' },
    );
  }
  return { kind: 'postgres.restore', source, request };
};

/** `shop.sales.orders: 200 rows in the source, 199 in the target`: one table a restore lost rows of. */
export const mismatchLine = (m: TableCount): string =>
  `${m.database}.${m.table}: ${m.source} rows in the source, ${m.target === undefined ? 'missing' : m.target} in the target`;

/**
 * A step's verify after a restore: every table of `databases` has as many rows on `target` as here;
 * otherwise the first tables that differ, each with both counts.
 */
export async function restoreMatches(
  postgres: PostgresReader,
  target: RestoreTarget,
  databases: readonly string[],
): Promise<{ ok: boolean; detail: string }> {
  const { tables, rows, mismatches } = await postgres.compareTables(target, databases);
  if (mismatches.length === 0) {
    return {
      ok: true,
      detail: `${plural(tables, 'table')} of ${databases.join(', ')}, ${plural(rows, 'row')}: the same counts on ${targetName(target)}`,
    };
  }
  const shown = mismatches.slice(0, 8).map(mismatchLine);
  const more = mismatches.length > shown.length ? `; and ${mismatches.length - shown.length} more` : '';
  return { ok: false, detail: `${shown.join('; ')}${more}` };
}

/** `serverVersion({ server, major: 16, timeoutMs: 300_000 })`. */
export const serverVersion = builder<PostgresVersionWait>('postgres.server-version');

export const postgresActions = {
  'postgres.terminate': {
    permissions: [],
    describe: (a) => {
      const pids = a.backends.map((b) => b.pid);
      return {
        title: `terminate ${plural(pids.length, 'connection')} on ${a.server}: ${a.selection}`,
        before: `${plural(pids.length, 'backend')} open (pids ${pids.join(', ')})`,
        after: 'those backends closed; their clients must reconnect',
        destructive: true,
        confirmName: a.confirmName,
        equivalent: `psql -c 'select pg_terminate_backend(pid) from pg_stat_activity where pid in (${pids.join(', ')})'`,
      };
    },
    preview: {
      mode: 'not-previewable',
      checked:
        'no termination can be rehearsed; checked instead: each backend is still there and this role may ' +
        'signal it. Nothing was terminated',
    },
    async perform(action, writers, options) {
      // With dryRun, Postgres is asked which it would let this role terminate; nothing is signalled.
      const result = await postgres(writers).terminate(action.backends, options);
      if (result.refused.length === 0) return;
      throw new RunbookError(
        'step-failed',
        `Postgres ${options.dryRun === true ? 'would refuse' : 'refused'} to terminate ${result.refused.length} of ${action.backends.length} backends (pids ${result.refused.join(', ')}).`,
        { next: 'Connect as a superuser or a role with pg_signal_backend, then run the runbook again.' },
      );
    },
  },
  'postgres.backup': {
    permissions: [],
    describe: ({ server, request: { databases, directory, stamp, verify, globals } }) => ({
      title: `back up ${globals === true ? 'the roles and ' : ''}${databases.join(', ')} from ${server} to ${directory}`,
      before: 'no backup of this moment',
      after: `${[...(globals === true ? [`${globalsFileName(stamp)} (roles with their passwords: private)`] : []), ...databases.map((d) => `${d}-${stamp}.dump`)].join(', ')} with .sha256 beside each, verified by ${verify === 'list' ? 'pg_restore --list' : 'a restore into a scratch database'}`,
      destructive: false,
      confirmName: undefined,
      equivalent: [
        ...(globals === true
          ? [`pg_dumpall --globals-only --file=${quote(`${directory}/${globalsFileName(stamp)}`)}`]
          : []),
        ...databases.map(
          (d) => `pg_dump --format=custom --file=${quote(`${directory}/${d}-${stamp}.dump`)} ${quote(d)}`,
        ),
      ].join(' && '),
    }),
    preview: {
      mode: 'not-previewable',
      checked:
        'no dump can be rehearsed without taking it; checked instead: the directory takes a file, pg_dump and ' +
        'pg_restore run and are not older than the server, the server answers. Nothing was written',
    },
    async perform(action, writers, options) {
      // With dryRun, only what a dump needs is checked (directory, pg_dump, server); nothing is written.
      await postgres(writers).backup(action.request, options);
    },
  },
  'postgres.restore': {
    // Into a pod (a new major version's), through a port-forward, whatever the run's own Postgres is.
    permissions: PORT_FORWARD_NEEDS,
    describe: ({ source, request: { target: into, directory, stamp, databases, globals } }) => {
      const target = targetName(into);
      // A pod has no URL to type: the command runs through `kubectl port-forward` to it.
      const dbname = typeof into === 'string' ? into : 'postgres://postgres@127.0.0.1:5432/postgres';
      return {
        title: `restore ${globals ? 'the roles and ' : ''}${databases.join(', ')} from ${directory} into ${target}`,
        before: `${plural(databases.length, 'database')} absent on ${target}`,
        after: `${globals ? 'the roles, then ' : ''}${databases.join(', ')} restored, every table's row count equal to ${source}'s`,
        destructive: false,
        confirmName: undefined,
        equivalent:
          (typeof into === 'string'
            ? ''
            : `kubectl -n ${into.namespace} port-forward deploy/${into.deployment} 5432 & `) +
          [
            ...(globals
              ? [`psql --dbname=${quote(dbname)} --file=${quote(`${directory}/${globalsFileName(stamp)}`)}`]
              : []),
            ...databases.map(
              (d) =>
                `pg_restore --create --exit-on-error --dbname=${quote(dbname)} ${quote(`${directory}/${d}-${stamp}.dump`)}`,
            ),
          ].join(' && '),
      };
    },
    preview: {
      mode: 'not-previewable',
      checked:
        'no restore can be rehearsed without writing it; checked instead: each file matches its .sha256, psql and ' +
        'pg_restore run, the target answers, may take it and holds none of the databases. Nothing was sent to the target',
    },
    // With dryRun, only reads reach the target; a mismatch after a real restore throws, naming the table.
    perform: ({ request }, writers, options) =>
      postgres(writers)
        .restore(request, options)
        .then(() => undefined),
  },
} satisfies ActionDefinitions<PostgresAction>;

export const postgresWaits = {
  'postgres.server-version': {
    permissions: [],
    describe: ({ server, major }) => `wait until ${server} reports version ${major}`,
    // No watch on a server's version: it changes when the server is replaced, looked at by polling.
    watched: () => 'poll',
    async evaluate({ major }, read) {
      if (read.postgres === undefined) {
        return { outcome: { status: 'stuck', detail: 'this run has no connection to Postgres to ask' } };
      }
      // A server being replaced does not answer for a while: that is waiting, not failing.
      const version = await read.postgres.serverVersion().catch((error: unknown) => error);
      if (version instanceof Error)
        return { waiting: `server does not answer (${version.message}), waiting for ${major}` };
      const { text, num } = version as { text: string; num: number };
      const reported = Math.floor(num / 10000);
      if (reported === major) return { outcome: { status: 'met', detail: `server reports ${text}` } };
      return { waiting: `server reports ${text}, waiting for ${major}` };
    },
  },
} satisfies WaitDefinitions<PostgresWait>;

function postgres(writers: Writers): NonNullable<Writers['postgres']> {
  if (writers.postgres !== undefined) return writers.postgres;
  throw new RunbookError('database-unreachable', 'This run has no connection to Postgres to act on.', {
    next: 'Give one with --database-url or DATABASE_URL, or let runbook port-forward to the Postgres pod.',
  });
}
