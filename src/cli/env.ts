// Reads .env (dotenv's format) under the real environment: a variable set in the shell wins.
// dotenv is required on first use, so commands that never read the environment never load it.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

type DotenvParse = (src: string | Buffer) => Record<string, string>;

export function loadEnvironment(
  processEnv: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Record<string, string | undefined> {
  const file = processEnv.RUNBOOK_ENV_FILE ?? join(cwd, '.env');
  if (!existsSync(file)) return { ...processEnv };
  const { parse } = createRequire(import.meta.url)('dotenv') as { parse: DotenvParse };
  return { ...parse(readFileSync(file)), ...processEnv };
}
