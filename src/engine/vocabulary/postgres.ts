// The changes a runbook makes to a Postgres server, each defined once. Nothing can rehearse them
// without making them: a dry run checks what the server can answer (who may be signalled, what a
// dump needs) and leaves them undone.
import { RunbookError } from '../errors.js';
import type { Backend, BackupRequest } from '../postgres-ports.js';
import type { Writers } from '../ports.js';
import { type ActionDefinitions, plural, quote } from './define.js';

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

export type PostgresAction = PostgresTerminateAction | PostgresBackupAction;

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

export const postgresActions = {
  'postgres.terminate': {
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
    describe: ({ server, request: { databases, directory, stamp, verify } }) => ({
      title: `back up ${databases.join(', ')} from ${server} to ${directory}`,
      before: 'no backup of this moment',
      after: `${databases.map((d) => `${d}-${stamp}.dump`).join(', ')} with .sha256 beside each, verified by ${verify === 'list' ? 'pg_restore --list' : 'a restore into a scratch database'}`,
      destructive: false,
      confirmName: undefined,
      equivalent: databases
        .map((d) => `pg_dump --format=custom --file=${quote(`${directory}/${d}-${stamp}.dump`)} ${quote(d)}`)
        .join(' && '),
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
} satisfies ActionDefinitions<PostgresAction>;

function postgres(writers: Writers): NonNullable<Writers['postgres']> {
  if (writers.postgres !== undefined) return writers.postgres;
  throw new RunbookError('database-unreachable', 'This run has no connection to Postgres to act on.', {
    next: 'Give one with --database-url or DATABASE_URL, or let runbook port-forward to the Postgres pod.',
  });
}
