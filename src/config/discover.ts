// Which configuration file applies: the one RUNBOOK_CONFIG names (it must exist), else
// runbook.config.yaml in the working directory or the nearest parent, as git finds its repository.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { invalidParameter } from '../engine/errors.js';
import { CONFIG_ENV, CONFIG_FILE_NAME } from './schema.js';

export interface Discovered {
  readonly path: string;
  /** How it was found, for `runbook config`. */
  readonly how: 'RUNBOOK_CONFIG' | 'search';
}

export function discoverConfig(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Discovered | undefined {
  const named = env[CONFIG_ENV]?.trim();
  if (named !== undefined && named !== '') {
    const path = resolve(cwd, named);
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw invalidParameter(
        `${CONFIG_ENV} names ${named}, which is not a file: give the path of the team's ${CONFIG_FILE_NAME}, or unset it.`,
      );
    }
    return { path, how: 'RUNBOOK_CONFIG' };
  }
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return { path: candidate, how: 'search' };
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
