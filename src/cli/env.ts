// Reads .env (dotenv's format) under the real environment: a variable set in the shell wins.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';

export function loadEnvironment(
  processEnv: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Record<string, string | undefined> {
  const file = processEnv.RUNBOOK_ENV_FILE ?? join(cwd, '.env');
  const fromFile = existsSync(file) ? parse(readFileSync(file)) : {};
  return { ...fromFile, ...processEnv };
}
