// What a backup will take and where, and the read-only check afterwards that every dump still
// matches the sha256 written beside it (and the globals file's, when roles are backed up too).
// Shared by postgres-backup and postgres-remount.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Action, backupDatabases } from '../../src/engine/vocabulary/index.js';
import { globalsFileName } from '../../src/engine/postgres-ports.js';
import { preconditionFailed } from '../../src/engine/errors.js';
import type { PostgresReader } from '../../src/engine/ports.js';
import type { Check } from '../../src/engine/runbook.js';

export interface BackupChoice {
  /** Comma-separated names, or undefined for every database. */
  readonly databases: string | undefined;
  readonly directory: string;
  readonly verify: 'list' | 'restore';
  /** include: pg_dumpall --globals-only to globals-<stamp>.sql first (roles, their passwords). */
  readonly globals?: 'include' | 'skip';
}

/** 2024-07-11T00:32:07.123Z → 20240711T003207Z: sorts by time, safe in a file name. */
export const stampOf = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

export async function planBackup(
  postgres: PostgresReader,
  choice: BackupChoice,
  now = new Date(),
): Promise<{ action: Action; notes: string[]; files: string[] }> {
  const existing = await postgres.databases();
  const wanted = choice.databases === undefined ? existing : choice.databases.split(',').map((d) => d.trim());
  const missing = wanted.filter((d) => !existing.includes(d));
  if (missing.length > 0) {
    throw preconditionFailed(
      `Postgres has no database ${missing.join(', ')}; it has ${existing.join(', ')}.`,
      'Name databases that exist with --databases, or leave it out to dump them all.',
    );
  }
  const directory = resolve(choice.directory);
  const stamp = stampOf(now);
  const globals = choice.globals === 'include';
  const files = [
    ...(globals ? [join(directory, globalsFileName(stamp))] : []),
    ...wanted.map((d) => join(directory, `${d}-${stamp}.dump`)),
  ];
  const server = postgres.identity().url;
  return {
    action: backupDatabases(server, { databases: wanted, directory, stamp, verify: choice.verify, globals }),
    notes: [`${wanted.length} databases on ${server}: ${wanted.join(', ')}`, ...files.map((f) => `→ ${f}`)],
    files,
  };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Every dump is there and matches its .sha256 (which the backup writes last, once verified). */
export async function checkBackup(files: readonly string[]): Promise<Check> {
  for (const file of files) {
    const written = await readFile(`${file}.sha256`, 'utf8').catch(() => undefined);
    if (written === undefined)
      return { ok: false, detail: `${file}.sha256 is missing: ${file} is not a verified backup` };
    const actual = await sha256Of(file).catch(() => undefined);
    if (actual === undefined || !written.startsWith(`${actual}  `)) {
      return { ok: false, detail: `${file} does not match its .sha256` };
    }
  }
  const dumps = files.filter((f) => f.endsWith('.dump')).length;
  const globals = files.length > dumps ? 'the roles and ' : '';
  return { ok: true, detail: `${globals}${dumps} dumps verified, each matching the sha256 beside it` };
}
