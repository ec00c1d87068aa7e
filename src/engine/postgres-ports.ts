// The read and write sides of the Postgres provider, and the shapes of what triage reads: kept apart
// from ports.ts because Postgres has its own vocabulary (backends, locks, vacuums, dumps).

/** Where the tool is connected, password never included. */
export interface PostgresIdentity {
  /** e.g. postgres://postgres:***@127.0.0.1:5432/postgres */
  readonly url: string;
  /** How the connection is made: `DATABASE_URL`, `--database-url`, or `port-forward to pod default/postgres-…`. */
  readonly via: string;
}

/** One client backend (pg_stat_activity), ages measured by the server's own clock. */
export interface Backend {
  readonly pid: number;
  /** backend_start as the server prints it (microseconds): with the pid, names this incarnation. */
  readonly backendStart: string;
  readonly application: string;
  readonly user: string;
  readonly database: string;
  /** Client address, or `local` for a Unix socket. */
  readonly client: string;
  /** active, idle, idle in transaction, idle in transaction (aborted), … */
  readonly state: string;
  /** Seconds since the state last changed. */
  readonly stateSeconds: number;
  /** Seconds since the open transaction began; undefined outside a transaction. */
  readonly transactionSeconds: number | undefined;
  readonly connectedSeconds: number;
  readonly waitEvent: string | undefined;
  /** The last query, shortened; hidden when it mentions a password. */
  readonly query: string;
}

export interface ConnectionGroup {
  readonly application: string;
  readonly client: string;
  readonly state: string;
  readonly count: number;
}

export interface ConnectionReport {
  readonly maxConnections: number;
  readonly superuserReserved: number;
  readonly groups: readonly ConnectionGroup[];
  readonly backends: readonly Backend[];
  /** Every client backend, the tool's own excepted. */
  readonly total: number;
}

export interface LockCount {
  readonly mode: string;
  /** The relation's name, or the lock type (transactionid, virtualxid, …) for non-relation locks. */
  readonly relation: string;
  readonly granted: number;
  readonly waiting: number;
}

export interface Blocking {
  readonly blocked: Backend;
  readonly blockedBy: readonly Backend[];
}

export interface LockReport {
  readonly counts: readonly LockCount[];
  readonly blocking: readonly Blocking[];
}

export interface VacuumActivity {
  readonly pid: number;
  readonly autovacuum: boolean;
  readonly database: string;
  /** The table, when the progress view names it. */
  readonly relation: string | undefined;
  /** The pg_stat_progress_vacuum phase, or `waiting for <event>` before it starts. */
  readonly phase: string;
  readonly heapBlocksTotal: number | undefined;
  readonly heapBlocksScanned: number | undefined;
  readonly runningSeconds: number;
}

export interface PostgresReader {
  identity(): PostgresIdentity;
  connections(): Promise<ConnectionReport>;
  locks(): Promise<LockReport>;
  vacuums(): Promise<VacuumActivity[]>;
  /** The databases a dump can take (not templates). */
  databases(): Promise<string[]>;
  /** What the server reports: server_version (`15.18`) and server_version_num (150018). */
  serverVersion(): Promise<ServerVersion>;
  /**
   * Row counts of every table of `databases` here and on `target` (a URL without its password, or a
   * deployment's pod), compared: what proves a restore complete. At most 2000 tables per database.
   */
  compareTables(target: RestoreTarget, databases: readonly string[]): Promise<TableComparison>;
}

export interface ServerVersion {
  readonly text: string;
  readonly num: number;
}

export interface TableCount {
  readonly database: string;
  /** schema.table */
  readonly table: string;
  readonly source: number;
  /** undefined: the table is missing on the target. */
  readonly target: number | undefined;
}

export interface TableComparison {
  readonly tables: number;
  readonly rows: number;
  readonly mismatches: readonly TableCount[];
}

/** A backend to terminate, named by pid and backend_start so a reused pid is never hit. */
export interface BackendRef {
  readonly pid: number;
  readonly backendStart: string;
}

export interface TerminateResult {
  readonly terminated: readonly number[];
  /** Already gone before the signal (or a new backend now holds the pid). */
  readonly gone: readonly number[];
  /** The server refused (another role's backend without pg_signal_backend). */
  readonly refused: readonly number[];
}

export interface BackupRequest {
  readonly databases: readonly string[];
  /** The directory the dumps and their .sha256 files go to. */
  readonly directory: string;
  /** A name shared by this backup's files, e.g. 20240711T003200Z. */
  readonly stamp: string;
  /** list: pg_restore --list reads it; restore: restored into a scratch database, then dropped. */
  readonly verify: 'list' | 'restore';
  /**
   * Also `pg_dumpall --globals-only` (roles with their passwords, tablespaces) to
   * globals-<stamp>.sql, private like the dumps. Absent in older journals: no globals.
   */
  readonly globals?: boolean;
}

/** The globals file beside the dumps of one backup: roles and tablespaces, a secret. */
export const globalsFileName = (stamp: string): string => `globals-${stamp}.sql`;

/**
 * The server a restore goes into: a postgres:// URL without its password (RUNBOOK_TARGET_PGPASSWORD,
 * else the source's, gives it), or the Postgres pod of a deployment, reached by a port-forward.
 */
export type RestoreTarget = string | { readonly namespace: string; readonly deployment: string };

export interface RestoreRequest {
  readonly target: RestoreTarget;
  /** The backup restored: <directory>/<db>-<stamp>.dump for each database, each checked by its .sha256. */
  readonly directory: string;
  readonly stamp: string;
  readonly databases: readonly string[];
  /** Restore globals-<stamp>.sql first (roles the databases' owners and grants need). */
  readonly globals: boolean;
}

export interface BackupFile {
  readonly database: string;
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  /** What proved it readable, e.g. `pg_restore --list: 12 entries`. */
  readonly verified: string;
}

/** As for Kubernetes: with dryRun, the server is asked what it would do, and nothing is changed. */
export interface PostgresMutationOptions {
  readonly dryRun?: boolean;
}

export interface PostgresWriter {
  /** With dryRun: which backends are still there and which this role may signal; none is signalled. */
  terminate(backends: readonly BackendRef[], options?: PostgresMutationOptions): Promise<TerminateResult>;
  /**
   * Dumps, checksums and verifies; a file that is not verified is removed, never left looking good.
   * Checks first what a dump needs (the directory takes a file, pg_dump and pg_restore run and are not
   * older than the server, the server answers): with dryRun that check is all, and nothing is written.
   */
  backup(request: BackupRequest, options?: PostgresMutationOptions): Promise<BackupFile[]>;
  /**
   * Restores a backup into another server (globals first, then each database, which must not exist
   * there yet), then compares the row counts of every table with this server's: a mismatch fails,
   * naming the table and both counts. With dryRun: the files match their .sha256, the tools run, the
   * target answers and may take it; nothing is sent to the target but reads.
   */
  restore(request: RestoreRequest, options?: PostgresMutationOptions): Promise<TableComparison>;
}
