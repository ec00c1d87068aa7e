// The triage reads: who holds the connections, which transactions stay open, which locks are held
// and who blocks whom, and what (auto)vacuum is doing. Read-only SQL over the one session.
import type {
  Backend,
  Blocking,
  ConnectionGroup,
  ConnectionReport,
  LockReport,
  PostgresReader,
  RestoreTarget,
  ServerVersion,
  TableComparison,
  VacuumActivity,
} from '../../engine/ports.js';
import type { KubeClients } from '../kubernetes/connect.js';
import { compareTables, withTarget } from './restore.js';
import type { PgSession } from './session.js';
import { redactedUrl } from './settings.js';

interface BackendRow {
  pid: number;
  backend_start: string;
  application: string;
  user: string;
  database: string;
  client: string;
  state: string;
  state_seconds: number;
  transaction_seconds: number | null;
  connected_seconds: number;
  wait_event: string | null;
  query: string;
}

const BACKENDS_SQL = `
  select pid, backend_start::text as backend_start,
    coalesce(application_name, '') as application, coalesce(usename, '') as "user",
    coalesce(datname, '') as database, coalesce(host(client_addr), 'local') as client,
    coalesce(state, 'hidden (needs pg_read_all_stats)') as state,
    extract(epoch from clock_timestamp() - coalesce(state_change, backend_start))::float8 as state_seconds,
    extract(epoch from clock_timestamp() - xact_start)::float8 as transaction_seconds,
    extract(epoch from clock_timestamp() - backend_start)::float8 as connected_seconds,
    case when wait_event is null then null else wait_event_type || ':' || wait_event end as wait_event,
    left(coalesce(query, ''), 200) as query
  from pg_stat_activity
  where backend_type = 'client backend' and pid <> pg_backend_pid()
  order by backend_start`;

/** A query that mentions a password (ALTER ROLE … PASSWORD) is never shown. */
const shownQuery = (query: string): string =>
  /passw/i.test(query) ? '(query hidden: it mentions a password)' : query.replace(/\s+/g, ' ').trim();

function toBackend(row: BackendRow): Backend {
  return {
    pid: row.pid,
    backendStart: row.backend_start,
    application: row.application,
    user: row.user,
    database: row.database,
    client: row.client,
    state: row.state,
    stateSeconds: row.state_seconds,
    transactionSeconds: row.transaction_seconds ?? undefined,
    connectedSeconds: row.connected_seconds,
    waitEvent: row.wait_event ?? undefined,
    query: shownQuery(row.query),
  };
}

function groupsOf(backends: readonly Backend[]): ConnectionGroup[] {
  const groups = new Map<string, ConnectionGroup>();
  for (const b of backends) {
    const key = JSON.stringify([b.application, b.client, b.state]);
    const found = groups.get(key);
    groups.set(key, {
      application: b.application,
      client: b.client,
      state: b.state,
      count: (found?.count ?? 0) + 1,
    });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.application.localeCompare(b.application));
}

type Env = Readonly<Record<string, string | undefined>>;

export function createPostgresReader(
  session: PgSession,
  via: string,
  env: Env,
  kube: KubeClients | undefined,
): PostgresReader {
  const backends = async (): Promise<Backend[]> =>
    (await session.query<BackendRow>(BACKENDS_SQL, [], 'read pg_stat_activity')).map(toBackend);

  return {
    identity: () => {
      const known = session.endpoint.known();
      return {
        url: known === undefined ? 'postgres (port-forward not opened yet)' : redactedUrl(known),
        via,
      };
    },

    async connections(): Promise<ConnectionReport> {
      const [settings] = await session.query<{ max: number; reserved: number }>(
        `select current_setting('max_connections')::int as max,
                current_setting('superuser_reserved_connections')::int as reserved`,
        [],
        'read max_connections',
      );
      const list = await backends();
      return {
        maxConnections: settings?.max ?? 0,
        superuserReserved: settings?.reserved ?? 0,
        total: list.length,
        groups: groupsOf(list),
        backends: list,
      };
    },

    async locks(): Promise<LockReport> {
      const counts = await session.query<{
        mode: string;
        relation: string;
        granted: number;
        waiting: number;
      }>(
        `select l.mode,
            coalesce(c.relname, case when l.relation is null then l.locktype
                                     else 'relation ' || l.relation || ' in database ' || coalesce(d.datname, '?')
                                     end) as relation,
            (count(*) filter (where l.granted))::int as granted,
            (count(*) filter (where not l.granted))::int as waiting
         from pg_locks l
         left join pg_class c on c.oid = l.relation
           and l.database = (select oid from pg_database where datname = current_database())
         left join pg_database d on d.oid = l.database
         where l.pid <> pg_backend_pid()
         group by 1, 2
         order by count(*) desc, 1, 2`,
        [],
        'read pg_locks',
      );
      const blockedRows = await session.query<{ pid: number; blocked_by: number[] }>(
        `select pid, pg_blocking_pids(pid) as blocked_by from pg_stat_activity
         where cardinality(pg_blocking_pids(pid)) > 0`,
        [],
        'read who blocks whom',
      );
      const byPid = new Map((await backends()).map((b) => [b.pid, b]));
      const blocking: Blocking[] = blockedRows.flatMap((row) => {
        const blocked = byPid.get(row.pid);
        if (blocked === undefined) return [];
        const blockedBy = row.blocked_by.flatMap((pid) => {
          const b = byPid.get(pid);
          return b === undefined ? [] : [b];
        });
        return [{ blocked, blockedBy }];
      });
      return { counts, blocking };
    },

    async vacuums(): Promise<VacuumActivity[]> {
      const rows = await session.query<{
        pid: number;
        autovacuum: boolean;
        database: string;
        relation: string | null;
        phase: string;
        heap_blks_total: string | null;
        heap_blks_scanned: string | null;
        running_seconds: number;
      }>(
        `select a.pid, a.backend_type = 'autovacuum worker' as autovacuum, coalesce(a.datname, '') as database,
            p.relid::regclass::text as relation,
            coalesce(p.phase, case when a.wait_event is not null
                                   then 'waiting for ' || a.wait_event_type || ':' || a.wait_event
                                   else 'starting' end) as phase,
            p.heap_blks_total::text, p.heap_blks_scanned::text,
            extract(epoch from clock_timestamp() - coalesce(a.xact_start, a.query_start, a.backend_start))::float8
              as running_seconds
         from pg_stat_activity a
         left join pg_stat_progress_vacuum p on p.pid = a.pid
         where a.pid <> pg_backend_pid()
           and (a.backend_type = 'autovacuum worker' or p.pid is not null
                or (a.state = 'active' and a.query ~* '^\\s*vacuum'))
         order by running_seconds desc`,
        [],
        'read vacuum progress',
      );
      return rows.map((r) => ({
        pid: r.pid,
        autovacuum: r.autovacuum,
        database: r.database,
        relation: r.relation ?? undefined,
        phase: r.phase,
        heapBlocksTotal: r.heap_blks_total === null ? undefined : Number(r.heap_blks_total),
        heapBlocksScanned: r.heap_blks_scanned === null ? undefined : Number(r.heap_blks_scanned),
        runningSeconds: r.running_seconds,
      }));
    },

    async databases(): Promise<string[]> {
      const rows = await session.query<{ datname: string }>(
        'select datname from pg_database where not datistemplate and datallowconn order by 1',
        [],
        'list databases',
      );
      return rows.map((r) => r.datname);
    },

    async serverVersion(): Promise<ServerVersion> {
      const [row] = await session.query<{ text: string; num: number }>(
        `select current_setting('server_version') as text, current_setting('server_version_num')::int as num`,
        [],
        'read the server version',
      );
      // `15.18 (Debian 15.18-0+deb12u1)`: the version is the first word.
      return { text: row?.text.split(' ')[0] ?? 'unknown', num: row?.num ?? 0 };
    },

    async compareTables(target: RestoreTarget, databases: readonly string[]): Promise<TableComparison> {
      const source = await session.settings();
      return withTarget(target, source, env, kube, (opened) => compareTables(source, opened, databases));
    },
  };
}
