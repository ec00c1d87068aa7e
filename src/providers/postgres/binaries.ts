// Finds pg_dump, pg_dumpall, pg_restore and psql: RUNBOOK_PG_BIN, then PATH, then the newest /usr/lib/postgresql/N/bin
// (Debian puts them there). A pg_dump older than the server refuses to dump it, so newest wins.
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RunbookError } from '../../engine/errors.js';

type Env = Readonly<Record<string, string | undefined>>;

export type PgTool = 'pg_dump' | 'pg_dumpall' | 'pg_restore' | 'psql';

export function findPgTool(tool: PgTool, env: Env): string {
  const candidates: string[] = [];
  if (env.RUNBOOK_PG_BIN !== undefined && env.RUNBOOK_PG_BIN !== '') candidates.push(env.RUNBOOK_PG_BIN);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  candidates.push(...(env.PATH ?? '').split(delimiter).filter((p) => p !== ''));
  for (const dir of candidates) {
    const path = join(dir, tool);
    if (existsSync(path)) return path;
  }
  throw new RunbookError(
    'backup-failed',
    `${tool} is not installed on this machine, so no backup can be taken or restored.`,
    {
      next: 'Install the PostgreSQL client (apt-get install postgresql-client) or set RUNBOOK_PG_BIN to its bin directory.',
    },
  );
}
