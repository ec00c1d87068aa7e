// The Postgres writer the executor alone holds: terminate chosen backends, take a verified backup,
// restore one into another server.
import type { BackendRef, PostgresWriter, TerminateResult } from '../../engine/ports.js';
import { checkBackupNeeds, takeBackup } from './backup.js';
import type { KubeClients } from '../kubernetes/connect.js';
import { restoreBackup } from './restore.js';
import type { PgSession } from './session.js';

type Env = Readonly<Record<string, string | undefined>>;

export function createPostgresWriter(
  session: PgSession,
  env: Env,
  kube: KubeClients | undefined,
): PostgresWriter {
  return {
    async terminate(backends: readonly BackendRef[], options = {}): Promise<TerminateResult> {
      if (options.dryRun === true) return wouldTerminate(session, backends);
      const [version] = await session.query<{ v: number }>(
        "select current_setting('server_version_num')::int as v",
        [],
        'read the server version',
      );
      // From Postgres 14 pg_terminate_backend can wait until the backend is gone (here up to 5 s).
      const wait = (version?.v ?? 0) >= 140000 ? ', 5000' : '';
      const terminated: number[] = [];
      const gone: number[] = [];
      const refused: number[] = [];
      for (const ref of backends) {
        try {
          // The pid and its backend_start together: a pid reused by a new backend is left alone.
          const rows = await session.query<{ visible: boolean; ok: boolean | null }>(
            `select backend_start is not null as visible,
                    case when backend_start::text = $2 then pg_terminate_backend(pid${wait}) end as ok
             from pg_stat_activity where pid = $1`,
            [ref.pid, ref.backendStart],
            `terminate backend ${ref.pid}`,
          );
          const row = rows[0];
          // Another role's backend shows no backend_start: it cannot be told apart, so it is not touched.
          if (row === undefined) gone.push(ref.pid);
          else if (!row.visible) refused.push(ref.pid);
          // null: a new backend holds the pid now. false: the 5 s passed, but the signal was sent.
          else if (row.ok === null) gone.push(ref.pid);
          else terminated.push(ref.pid);
        } catch (error) {
          if (/permission denied|must be a (superuser|member)/i.test((error as Error).message))
            refused.push(ref.pid);
          else throw error;
        }
      }
      return { terminated, gone, refused };
    },

    backup: (request, options = {}) =>
      options.dryRun === true
        ? checkBackupNeeds(session, request, env).then(() => [])
        : takeBackup(session, request, env),

    restore: async (request, options = {}) =>
      restoreBackup(await session.settings(), request, env, kube, options.dryRun === true),
  };
}

/**
 * What pg_terminate_backend would do, asked without calling it: the backend must still be the one
 * planned (pid and backend_start), visible to this role, and signallable by it (PostgreSQL's rule:
 * a role it has the privileges of, or pg_signal_backend; a superuser's backend only by a superuser).
 */
async function wouldTerminate(session: PgSession, backends: readonly BackendRef[]): Promise<TerminateResult> {
  const terminated: number[] = [];
  const gone: number[] = [];
  const refused: number[] = [];
  for (const ref of backends) {
    const rows = await session.query<{ visible: boolean; same: boolean; allowed: boolean }>(
      `select a.backend_start is not null as visible,
              coalesce(a.backend_start::text = $2, false) as same,
              case when r.oid is null then false
                   when r.rolsuper and not (select rolsuper from pg_roles where rolname = current_user) then false
                   else pg_has_role(current_user, a.usesysid, 'USAGE')
                     or pg_has_role(current_user, 'pg_signal_backend', 'USAGE') end as allowed
       from pg_stat_activity a left join pg_roles r on r.oid = a.usesysid
       where a.pid = $1`,
      [ref.pid, ref.backendStart],
      `check that backend ${ref.pid} could be terminated`,
    );
    const row = rows[0];
    if (row === undefined) gone.push(ref.pid);
    else if (!row.visible || !row.allowed) refused.push(ref.pid);
    else if (!row.same) gone.push(ref.pid);
    else terminated.push(ref.pid);
  }
  return { terminated, gone, refused };
}
