// `runbook new <id>`: scaffolds a runbook of the team's own and its test in the team's folder.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RUNBOOKS } from '../../../runbooks/index.js';
import { RunbookError, invalidParameter } from '../../engine/errors.js';
import { loadTeamConfig } from '../../config/load.js';
import { type Io, println } from '../io.js';
import { runbookSource, runbookTestSource } from '../team/scaffold.js';

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export async function newCommand(id: string, folder: string, io: Io): Promise<number> {
  if (!ID.test(id) || id.length > 63) {
    throw invalidParameter(
      `"${id}" is not a runbook id: use lowercase words joined by hyphens, like restart-site (at most 63 characters).`,
    );
  }
  if (RUNBOOKS.some((r) => r.id === id)) {
    throw invalidParameter(`"${id}" is the id of a built-in runbook: choose another.`);
  }
  const dir = resolve(io.cwd, folder);
  const file = join(dir, `${id}.ts`);
  const test = join(dir, `${id}.test.mjs`);
  const taken = [file, test].find((path) => existsSync(path));
  if (taken !== undefined) {
    throw new RunbookError(
      'precondition',
      `${relative(io.cwd, taken) || taken} already exists: nothing was written.`,
    );
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, runbookSource(id), { flag: 'wx' });
  writeFileSync(test, runbookTestSource(id, `${id}.ts`), { flag: 'wx' });
  const shown = (path: string): string => {
    const rel = relative(io.cwd, path);
    return rel === '' || rel.startsWith('..') ? path : rel;
  };
  println(io.stdout, `Wrote ${shown(file)} and ${shown(test)}.`);
  // The configuration file already names this folder: the commands need no --runbooks.
  const configured = (await loadTeamConfig(io))?.runbooksFolder?.value === dir;
  const runbook = configured ? 'runbook' : `runbook --runbooks ${shown(dir)}`;
  println(io.stdout, `Next: \`${runbook} show ${id}\`, then \`${runbook} test ${id}\`.`);
  return 0;
}
