// pg_dump of each database to <dir>/<db>-<stamp>.dump, a sha256 beside it, and proof it reads back
// (pg_restore --list, or a restore into a scratch database). Arguments go to execa as an array, never
// through a shell; the password only through PGPASSWORD. A dump is written as .partial and renamed
// only once verified, and its .sha256 is written last: a file without one is not a backup. With
// globals, pg_dumpall --globals-only writes the roles (with their password hashes) and tablespaces to
// globals-<stamp>.sql first: created empty with mode 0600 before pg_dumpall opens it, never printed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, chmod, constants, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { execa as Execa } from 'execa';
import { RunbookError } from '../../engine/errors.js';
import type { BackupFile, BackupRequest } from '../../engine/ports.js';
import { globalsFileName } from '../../engine/postgres-ports.js';
import { findPgTool } from './binaries.js';
import type { PgSession } from './session.js';
import { type PgSettings, redactedUrl, withDatabase } from './settings.js';

type Env = Readonly<Record<string, string | undefined>>;

const DUMP_TIMEOUT_MS = 60 * 60_000;

/** execa takes ~0.1 s to import: only a run that backs up pays for it. */
const loadExeca = async (): Promise<typeof Execa> => (await import('execa')).execa;

/** The environment of pg_dump/pg_restore: PG* settings the operator set, our password, nothing else. */
export function toolEnv(env: Env, settings: PgSettings): Record<string, string> {
  const result: Record<string, string> = { PGAPPNAME: 'runbook-backup', PGCONNECT_TIMEOUT: '10' };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (
      ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ'].includes(key) ||
      (key.startsWith('PGSSL') && key !== 'PGPASSWORD')
    ) {
      result[key] = value;
    }
  }
  if (settings.password !== undefined) result.PGPASSWORD = settings.password;
  return result;
}

/** The last meaningful line pg_dump printed, without the tool's name or the password. */
export function lastLine(stderr: string, settings: PgSettings): string {
  const line =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .pop() ?? 'no message';
  const clean = line.replace(/^pg_(dump|restore): (error: )?/, '');
  return settings.password === undefined ? clean : clean.split(settings.password).join('***');
}

function dumpFailure(
  stderr: string,
  settings: PgSettings,
  database: string,
  directory: string,
): RunbookError {
  const server = redactedUrl(settings);
  const detail = lastLine(stderr, settings);
  if (/No space left on device|could not write to output file|Disk quota exceeded/i.test(stderr)) {
    return new RunbookError(
      'backup-failed',
      `The disk holding ${directory} filled up while dumping ${database}; the partial dump was removed.`,
      { next: 'Free space there or give another --directory, then run it again.' },
    );
  }
  if (/could not open output file|Permission denied|Read-only file system/i.test(stderr)) {
    return new RunbookError('backup-failed', `pg_dump could not write into ${directory}: ${detail}.`, {
      next: 'Give a writable --directory.',
    });
  }
  if (/password authentication failed|no pg_hba.conf entry/i.test(stderr)) {
    return new RunbookError('access-refused', `Postgres at ${server} refused pg_dump's login: ${detail}.`, {
      next: 'Check the user and password in --database-url, DATABASE_URL or PGPASSWORD.',
    });
  }
  if (/too many clients/i.test(stderr)) {
    return new RunbookError(
      'database-full',
      `Postgres at ${server} has no free connection for pg_dump: ${detail}.`,
      {
        next: 'Free connections first (runbook postgres-connections), or dump as a superuser, who has reserved slots.',
      },
    );
  }
  if (/could not connect|Connection refused|timeout expired|could not translate host/i.test(stderr)) {
    return new RunbookError(
      'database-unreachable',
      `pg_dump cannot reach Postgres at ${server}: ${detail}.`,
      {
        next: 'Check the host and port, and that Postgres runs.',
      },
    );
  }
  return new RunbookError('backup-failed', `pg_dump of ${database} from ${server} failed: ${detail}.`, {
    next: 'Nothing was kept from this dump; fix the cause above and run it again.',
  });
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Checks the directory takes a file now, before a long dump finds out it does not. */
export async function checkWritableDirectory(directory: string): Promise<void> {
  const probe = join(directory, `.runbook-write-test-${process.pid}`);
  try {
    const info = await stat(directory);
    if (!info.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    await access(directory, constants.W_OK);
    await writeFile(probe, 'x');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'ENOTDIR'
          ? 'it is not a directory'
          : code === 'EROFS'
            ? 'it is on a read-only file system'
            : code === 'ENOSPC'
              ? 'its disk is full'
              : `it cannot be written (${code})`;
    throw new RunbookError('backup-failed', `Cannot write a backup into ${directory}: ${why}.`, {
      next: 'Give a writable directory with --directory.',
    });
  } finally {
    await rm(probe, { force: true });
  }
}

async function verifyByList(
  pgRestore: string,
  path: string,
  database: string,
  env: Env,
  settings: PgSettings,
) {
  const execa = await loadExeca();
  const listed = await execa(pgRestore, ['--list', path], {
    env: toolEnv(env, settings),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  const lines = listed.stdout.split('\n');
  const entries = lines.filter((l) => l.trim() !== '' && !l.startsWith(';')).length;
  const named = lines.some((l) => l.trim() === `;     dbname: ${database}`);
  if (listed.exitCode !== 0 || !named) {
    throw new RunbookError(
      'backup-failed',
      `The dump of ${database} does not read back: pg_restore --list ${listed.exitCode === 0 ? 'does not name the database' : `failed: ${lastLine(listed.stderr, settings)}`}; it was removed.`,
      {
        next: 'Run the backup again; if it fails the same way, the pg_dump and pg_restore versions may differ.',
      },
    );
  }
  return `pg_restore --list reads ${entries} entries`;
}

async function verifyByRestore(
  session: PgSession,
  pgRestore: string,
  path: string,
  database: string,
  stamp: string,
  env: Env,
  settings: PgSettings,
): Promise<string> {
  const scratch = `runbook_verify_${database}_${stamp}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
  const quoted = `"${scratch}"`;
  await session.query(`create database ${quoted}`, [], `create the scratch database ${scratch}`);
  try {
    const target = withDatabase(settings, scratch);
    const execa = await loadExeca();
    const restored = await execa(
      pgRestore,
      [
        '--exit-on-error',
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        `--dbname=${target.url.href}`,
        path,
      ],
      {
        env: toolEnv(env, settings),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: DUMP_TIMEOUT_MS,
      },
    );
    if (restored.exitCode !== 0) {
      throw new RunbookError(
        'backup-failed',
        `The dump of ${database} does not restore into a scratch database: ${lastLine(restored.stderr, settings)}; it was removed.`,
        { next: 'Run the backup again; keep the previous good backup until one verifies.' },
      );
    }
    return `restored into scratch database ${scratch}, then dropped`;
  } finally {
    await session.query(
      `drop database if exists ${quoted} with (force)`,
      [],
      `drop the scratch database ${scratch}`,
    );
  }
}

/** `pg_dump (PostgreSQL) 15.10 (Debian 15.10-0+deb12u1)` → 15; the tool run proves it runs at all. */
export async function toolMajor(path: string, tool: string, env: Env, settings: PgSettings): Promise<number> {
  const execa = await loadExeca();
  const ran = await execa(path, ['--version'], {
    env: toolEnv(env, settings),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 30_000,
  });
  const major = /\(PostgreSQL\) (\d+)/.exec(ran.stdout)?.[1];
  if (ran.exitCode !== 0 || major === undefined) {
    const why = ran.failed && ran.exitCode === undefined ? ran.shortMessage : lastLine(ran.stderr, settings);
    throw new RunbookError('backup-failed', `${tool} at ${path} does not run: ${why}.`, {
      next: 'Install the PostgreSQL client (apt-get install postgresql-client) or set RUNBOOK_PG_BIN to its bin directory.',
    });
  }
  return Number(major);
}

/**
 * What a dump needs, checked before one starts (and all a dry run does): pg_dump and pg_restore run
 * and are not older than the server (an older pg_dump refuses it), the server answers, the directory
 * takes a file, and --verify restore may create its scratch database.
 */
export async function checkBackupNeeds(session: PgSession, request: BackupRequest, env: Env): Promise<void> {
  const pgDump = findPgTool('pg_dump', env);
  const pgRestore = findPgTool('pg_restore', env);
  const tools: [string, string][] = [
    ['pg_dump', pgDump],
    ['pg_restore', pgRestore],
  ];
  if (request.globals === true) tools.push(['pg_dumpall', findPgTool('pg_dumpall', env)]);
  const settings = await session.settings();
  const [server] = await session.query<{ version: number; createdb: boolean; superuser: boolean }>(
    `select current_setting('server_version_num')::int / 10000 as version,
            coalesce((select rolsuper or rolcreatedb from pg_roles where rolname = current_user), false) as createdb,
            coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser`,
    [],
    'ask the server its version before a backup',
  );
  const serverMajor = server?.version ?? 0;
  for (const [tool, path] of tools) {
    const major = await toolMajor(path, tool, env, settings);
    if (major < serverMajor) {
      throw new RunbookError(
        'backup-failed',
        `${tool} at ${path} is version ${major}, older than the server (${serverMajor}): it would refuse to dump it.`,
        {
          next: `Install the PostgreSQL ${serverMajor} client, or point RUNBOOK_PG_BIN at a newer bin directory.`,
        },
      );
    }
  }
  await checkWritableDirectory(request.directory);
  if (request.verify === 'restore' && server?.createdb !== true) {
    throw new RunbookError(
      'backup-failed',
      `--verify restore needs a scratch database, and ${settings.url.username} may not create one (neither CREATEDB nor superuser).`,
      { next: 'Use --verify list, or connect as a role with CREATEDB.' },
    );
  }
  if (request.globals === true && server?.superuser !== true) {
    throw new RunbookError(
      'backup-failed',
      `The roles' passwords are readable by a superuser only, and ${settings.url.username} is not one: pg_dumpall --globals-only would be refused.`,
      { next: 'Connect as a superuser, or leave the globals out (--globals skip).' },
    );
  }
}

export async function takeBackup(
  session: PgSession,
  request: BackupRequest,
  env: Env,
): Promise<BackupFile[]> {
  await checkBackupNeeds(session, request, env);
  const pgDump = findPgTool('pg_dump', env);
  const pgRestore = findPgTool('pg_restore', env);
  const base = await session.settings();
  const files: BackupFile[] = [];
  if (request.globals === true) files.push(await dumpGlobals(base, request, env));
  for (const database of request.databases) {
    const settings = withDatabase(base, database);
    const path = join(request.directory, `${database}-${request.stamp}.dump`);
    const partial = `${path}.partial`;
    const shaPartial = `${path}.sha256.partial`;
    await refuseExisting(path);
    let done = false;
    try {
      const execa = await loadExeca();
      const dumped = await execa(
        pgDump,
        ['--format=custom', '--no-password', `--file=${partial}`, `--dbname=${settings.url.href}`],
        {
          env: toolEnv(env, settings),
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
          timeout: DUMP_TIMEOUT_MS,
        },
      );
      if (dumped.exitCode !== 0) throw dumpFailure(dumped.stderr, settings, database, request.directory);
      await chmod(partial, 0o600);
      const verified =
        request.verify === 'restore'
          ? await verifyByRestore(session, pgRestore, partial, database, request.stamp, env, settings)
          : await verifyByList(pgRestore, partial, database, env, settings);
      const { sha256, size } = await seal(partial, path);
      done = true;
      files.push({ database, path, bytes: size, sha256, verified });
    } catch (error) {
      if (error instanceof RunbookError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new RunbookError(
        'backup-failed',
        code === 'ENOSPC'
          ? `The disk holding ${request.directory} filled up while writing the backup of ${database}; nothing of it was kept.`
          : `The backup of ${database} failed: ${error instanceof Error ? error.message : String(error)}; nothing of it was kept.`,
        { cause: error, next: 'Free space or give another --directory, then run it again.' },
      );
    } finally {
      if (!done) {
        await Promise.all([partial, shaPartial, path].map((p) => rm(p, { force: true })));
      }
    }
  }
  return files;
}

/** A verified file gets its final name, then its .sha256 (written last: without one, not a backup). */
async function seal(partial: string, path: string): Promise<{ sha256: string; size: number }> {
  const sha256 = await sha256Of(partial);
  const { size } = await stat(partial);
  await writeFile(`${path}.sha256.partial`, `${sha256}  ${basename(path)}\n`, { mode: 0o600 });
  await rename(partial, path);
  await rename(`${path}.sha256.partial`, `${path}.sha256`);
  return { sha256, size };
}

async function refuseExisting(path: string): Promise<void> {
  if (
    await stat(path).then(
      () => true,
      () => false,
    )
  ) {
    throw new RunbookError('backup-failed', `${path} already exists; a backup never overwrites another.`, {
      next: 'Move it away or give another --directory.',
    });
  }
}

/**
 * pg_dumpall --globals-only into a file made private before pg_dumpall writes a byte (it opens the
 * existing file, keeping its mode). Proven by naming the roles it creates; its content is never shown.
 */
async function dumpGlobals(settings: PgSettings, request: BackupRequest, env: Env): Promise<BackupFile> {
  const path = join(request.directory, globalsFileName(request.stamp));
  const partial = `${path}.partial`;
  const shaPartial = `${path}.sha256.partial`;
  await refuseExisting(path);
  let done = false;
  try {
    await writeFile(partial, '', { mode: 0o600 });
    await chmod(partial, 0o600);
    const execa = await loadExeca();
    const dumped = await execa(
      findPgTool('pg_dumpall', env),
      ['--globals-only', '--no-password', `--file=${partial}`, `--dbname=${settings.url.href}`],
      {
        env: toolEnv(env, settings),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
        timeout: DUMP_TIMEOUT_MS,
        maxBuffer: 1_000_000,
      },
    );
    if (dumped.exitCode !== 0) throw dumpFailure(dumped.stderr, settings, 'the globals', request.directory);
    const text = await readFile(partial, 'utf8');
    const roles = text.split('\n').filter((l) => l.startsWith('CREATE ROLE ')).length;
    if (roles === 0) {
      throw new RunbookError(
        'backup-failed',
        'pg_dumpall --globals-only wrote no CREATE ROLE: the globals file is not a backup; it was removed.',
        { next: 'Run the backup again as a superuser.' },
      );
    }
    const { sha256, size } = await seal(partial, path);
    done = true;
    return {
      database: '(globals)',
      path,
      bytes: size,
      sha256,
      verified: `pg_dumpall --globals-only: ${roles} roles`,
    };
  } finally {
    if (!done) await Promise.all([partial, shaPartial, path].map((p) => rm(p, { force: true })));
  }
}
