// Restores a backup into another server and proves it complete: globals-<stamp>.sql through psql
// (roles first: the databases' owners and grants need them), then each <db>-<stamp>.dump through
// pg_restore --create, then the row counts of every table compared with the source. Arguments go to
// execa as an array, never through a shell; passwords only through PGPASSWORD; output is bounded.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RunbookError } from '../../engine/errors.js';
import type { RestoreRequest, RestoreTarget, TableComparison, TableCount } from '../../engine/ports.js';
import { globalsFileName } from '../../engine/postgres-ports.js';
import { mismatchLine } from '../../engine/vocabulary/postgres.js';
import { findPgTool } from './binaries.js';
import { lastLine, sha256Of, toolEnv, toolMajor } from './backup.js';
import type { KubeClients } from '../kubernetes/connect.js';
import { isNotFound } from '../kubernetes/errors.js';
import { openPortForward } from './port-forward.js';
import { PgSession, urlEndpoint } from './session.js';
import {
  type PgSettings,
  forwardedSettings,
  parseDatabaseUrl,
  redactedUrl,
  withDatabase,
} from './settings.js';

type Env = Readonly<Record<string, string | undefined>>;

const RESTORE_TIMEOUT_MS = 60 * 60_000;
/** Bounds one comparison: more tables than this in one database are refused, not half-checked. */
export const MAX_COMPARED_TABLES = 2000;
/** What psql and pg_restore may print before they are stopped: their messages, not their data. */
const MAX_TOOL_OUTPUT = 1_000_000;

/** The restore's target, reachable while open (a port-forward stays open until close). */
export interface OpenedTarget {
  readonly settings: PgSettings;
  close(): Promise<void>;
}

/**
 * Opens the target: a URL (no password in it), or a port-forward to a deployment's Postgres pod as
 * PGUSER. The password is RUNBOOK_TARGET_PGPASSWORD's, else the source's (a new server of the same
 * team usually shares its superuser's password).
 */
export async function openTarget(
  target: RestoreTarget,
  source: PgSettings,
  env: Env,
  kube: KubeClients | undefined,
): Promise<OpenedTarget> {
  const password = (given: string | undefined): string | undefined => {
    const chosen = env.RUNBOOK_TARGET_PGPASSWORD ?? given ?? source.password;
    return chosen === '' ? undefined : chosen;
  };
  if (typeof target === 'string') {
    const parsed = parseDatabaseUrl(target, 'the restore target', { ...env, PGPASSWORD: undefined });
    return {
      settings: { ...parsed, password: password(parsed.password), via: 'the restore target' },
      close: () => Promise.resolve(),
    };
  }
  if (kube === undefined) {
    throw new RunbookError(
      'database-unreachable',
      `No cluster to port-forward through to the Postgres pod of ${target.namespace}/${target.deployment}.`,
      { next: 'Run with a kubeconfig, or give the restore target as a postgres:// URL.' },
    );
  }
  const forward = await openPortForward(kube, target);
  const via = `port-forward to pod ${target.namespace}/${forward.pod}:${forward.podPort}`;
  const settings = forwardedSettings(forward.localPort, via, { ...env, PGPASSWORD: undefined });
  return { settings: { ...settings, password: password(undefined) }, close: () => forward.close() };
}

/** Runs `use` with the target open, and closes it afterwards. */
export async function withTarget<T>(
  target: RestoreTarget,
  source: PgSettings,
  env: Env,
  kube: KubeClients | undefined,
  use: (settings: PgSettings) => Promise<T>,
): Promise<T> {
  const opened = await openTarget(target, source, env, kube);
  try {
    return await use(opened.settings);
  } finally {
    await opened.close();
  }
}

async function withSession<T>(settings: PgSettings, use: (s: PgSession) => Promise<T>): Promise<T> {
  const session = new PgSession(urlEndpoint(settings));
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

async function tablesOf(session: PgSession, database: string): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
       and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
     order by 1 limit ${MAX_COMPARED_TABLES + 1}`,
    [],
    `list the tables of ${database}`,
  );
  if (rows.length > MAX_COMPARED_TABLES) {
    throw new RunbookError(
      'step-failed',
      `${database} has more than ${MAX_COMPARED_TABLES} tables: too many to compare row by row here.`,
      { next: 'Compare the restore with a checksum query of your own.' },
    );
  }
  return rows.map((r) => r.name);
}

/** count(*) of a table named by format('%I.%I'), so quoted as Postgres quotes it; undefined if absent. */
async function countOf(session: PgSession, table: string, where: string): Promise<number | undefined> {
  const [present] = await session.query<{ present: boolean }>(
    'select to_regclass($1) is not null as present',
    [table],
    `look for ${table} on ${where}`,
  );
  if (present?.present !== true) return undefined;
  const [row] = await session.query<{ n: string }>(
    `select count(*)::text as n from ${table}`,
    [],
    `count the rows of ${table} on ${where}`,
  );
  return Number(row?.n ?? 0);
}

export async function compareTables(
  source: PgSettings,
  target: PgSettings,
  databases: readonly string[],
): Promise<TableComparison> {
  let tables = 0;
  let rows = 0;
  const mismatches: TableCount[] = [];
  for (const database of databases) {
    await withSession(withDatabase(source, database), (from) =>
      withSession(withDatabase(target, database), async (to) => {
        for (const table of await tablesOf(from, database)) {
          const sourceCount = (await countOf(from, table, 'the source')) ?? 0;
          const targetCount = await countOf(to, table, 'the target');
          tables += 1;
          rows += sourceCount;
          if (targetCount !== sourceCount) {
            mismatches.push({ database, table, source: sourceCount, target: targetCount });
          }
        }
      }),
    );
  }
  return { tables, rows, mismatches };
}

function restoreFailed(what: string, stderr: string, settings: PgSettings): RunbookError {
  return new RunbookError(
    'step-failed',
    `Restoring ${what} into ${redactedUrl(settings)} failed: ${lastLine(stderr, settings)}.`,
    { next: 'Look at the target: drop what was restored in part, fix the cause above, and run it again.' },
  );
}

interface RestorePlan {
  readonly target: PgSettings;
  readonly globals: string | undefined;
  readonly dumps: readonly { database: string; path: string }[];
}

async function checkFile(path: string): Promise<void> {
  const written = await readFile(`${path}.sha256`, 'utf8').catch(() => undefined);
  const actual = await sha256Of(path).catch(() => undefined);
  if (written === undefined || actual === undefined || !written.startsWith(`${actual}  `)) {
    throw new RunbookError(
      'precondition',
      `${path} is not a verified backup: ${actual === undefined ? 'it cannot be read' : written === undefined ? 'its .sha256 is missing' : 'it does not match its .sha256'}.`,
      { next: 'Restore a backup that postgres-backup finished, with its .sha256 beside each file.' },
    );
  }
}

/**
 * What a restore needs, checked before it starts (and all a dry run does, reads only): every file
 * matches its .sha256, psql and pg_restore run and are not older than the target, the target answers,
 * may create roles and databases, and holds none of the databases yet.
 */
export async function checkRestoreNeeds(
  target: PgSettings,
  request: RestoreRequest,
  env: Env,
): Promise<RestorePlan> {
  const globals = request.globals ? join(request.directory, globalsFileName(request.stamp)) : undefined;
  const dumps = request.databases.map((database) => ({
    database,
    path: join(request.directory, `${database}-${request.stamp}.dump`),
  }));
  for (const path of [...(globals === undefined ? [] : [globals]), ...dumps.map((d) => d.path)]) {
    await checkFile(path);
  }
  const server = await withSession(target, async (session) => {
    const [row] = await session.query<{ major: number; superuser: boolean; createdb: boolean }>(
      `select current_setting('server_version_num')::int / 10000 as major,
              coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser,
              coalesce((select rolsuper or rolcreatedb from pg_roles where rolname = current_user), false) as createdb`,
      [],
      'ask the restore target its version and rights',
    );
    const present = await session.query<{ datname: string }>(
      'select datname from pg_database where datname = any($1::text[]) order by 1',
      [request.databases],
      'look for the databases on the restore target',
    );
    return {
      major: row?.major ?? 0,
      superuser: row?.superuser === true,
      createdb: row?.createdb === true,
      present,
    };
  });
  const where = redactedUrl(target);
  if (server.present.length > 0) {
    throw new RunbookError(
      'precondition',
      `${where} already has ${server.present.map((d) => d.datname).join(', ')}: a restore never writes over a database.`,
      { next: 'Restore into a fresh server, or drop those databases there first if they are expendable.' },
    );
  }
  if (!(globals === undefined ? server.createdb : server.superuser)) {
    throw new RunbookError(
      'precondition',
      `${target.url.username} on ${where} may not ${globals === undefined ? 'create databases' : 'create roles (a superuser is needed to restore the globals)'}.`,
      { next: "Restore as the target's superuser (its password in RUNBOOK_TARGET_PGPASSWORD)." },
    );
  }
  const tools: [string, string][] = [['pg_restore', findPgTool('pg_restore', env)]];
  if (globals !== undefined) tools.push(['psql', findPgTool('psql', env)]);
  for (const [tool, path] of tools) {
    const major = await toolMajor(path, tool, env, target);
    if (major < server.major) {
      throw new RunbookError(
        'precondition',
        `${tool} at ${path} is version ${major}, older than the restore target (${server.major}).`,
        { next: `Install the PostgreSQL ${server.major} client, or point RUNBOOK_PG_BIN at it.` },
      );
    }
  }
  return { target, globals, dumps };
}

/** Runs psql or pg_restore against the target's `postgres` database; the output kept is bounded. */
async function runOnTarget(
  tool: 'psql' | 'pg_restore',
  args: readonly string[],
  target: PgSettings,
  env: Env,
) {
  const { execa } = await import('execa');
  return execa(
    findPgTool(tool, env),
    [...args, '--no-password', `--dbname=${withDatabase(target, 'postgres').url.href}`],
    {
      env: toolEnv(env, target),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: RESTORE_TIMEOUT_MS,
      maxBuffer: MAX_TOOL_OUTPUT,
    },
  );
}

/** psql carries on past `role "x" already exists` (the target's own superuser); any other error stops. */
async function restoreGlobals(path: string, target: PgSettings, env: Env): Promise<void> {
  const ran = await runOnTarget('psql', ['--no-psqlrc', '--quiet', `--file=${path}`], target, env);
  const errors = ran.stderr
    .split('\n')
    .filter((l) => /\bERROR:/.test(l) && !/role ".*" already exists/.test(l));
  if (ran.exitCode !== 0 || errors.length > 0) {
    throw restoreFailed('the globals (roles)', errors.join('\n') || ran.stderr, target);
  }
}

async function restoreDatabase(path: string, database: string, target: PgSettings, env: Env): Promise<void> {
  const ran = await runOnTarget('pg_restore', ['--create', '--exit-on-error', path], target, env);
  if (ran.exitCode !== 0) throw restoreFailed(database, ran.stderr, target);
}

/** Restores, then compares every table's row count with the source; a mismatch fails, naming it. */
export async function restoreBackup(
  source: PgSettings,
  request: RestoreRequest,
  env: Env,
  kube: KubeClients | undefined,
  dryRun: boolean,
): Promise<TableComparison> {
  if (dryRun && (await madeByEarlierSteps(request, kube))) return { tables: 0, rows: 0, mismatches: [] };
  return withTarget(request.target, source, env, kube, (target) =>
    restoreInto(source, target, request, env, dryRun),
  );
}

/**
 * In a dry run, a restore whose backup or target an earlier step of the same run makes (a backup not
 * taken yet, a new server's deployment not created yet) has nothing live to check: the twin plays it.
 */
async function madeByEarlierSteps(request: RestoreRequest, kube: KubeClients | undefined): Promise<boolean> {
  const files = [
    ...(request.globals ? [join(request.directory, globalsFileName(request.stamp))] : []),
    ...request.databases.map((d) => join(request.directory, `${d}-${request.stamp}.dump`)),
  ];
  const present = await Promise.all(
    files.map((f) =>
      stat(f).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!present.some(Boolean)) return true;
  if (typeof request.target === 'string' || kube === undefined) return false;
  const { namespace, deployment } = request.target;
  const found = await kube.apps.readNamespacedDeployment({ namespace, name: deployment }).then(
    () => true,
    (error: unknown) => (isNotFound(error) ? false : true),
  );
  return !found;
}

async function restoreInto(
  source: PgSettings,
  target: PgSettings,
  request: RestoreRequest,
  env: Env,
  dryRun: boolean,
): Promise<TableComparison> {
  const plan = await checkRestoreNeeds(target, request, env);
  if (dryRun) return { tables: 0, rows: 0, mismatches: [] };
  if (plan.globals !== undefined) await restoreGlobals(plan.globals, plan.target, env);
  for (const { database, path } of plan.dumps) await restoreDatabase(path, database, plan.target, env);
  const comparison = await compareTables(source, plan.target, request.databases);
  if (comparison.mismatches.length > 0) {
    const shown = comparison.mismatches.slice(0, 8).map(mismatchLine);
    const more = comparison.mismatches.length - shown.length;
    throw new RunbookError(
      'step-failed',
      `The restore into ${redactedUrl(plan.target)} does not match the source: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
      {
        next: 'Rows were written to the source since the backup, or the restore lost some: take a new backup and restore again.',
      },
    );
  }
  return comparison;
}
