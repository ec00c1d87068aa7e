// Whether files written into a folder would be picked up by `git add .` there: training refuses to
// put a kubeconfig and a Secret's JSON where a commit of the team's repository would carry them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The nearest folder at or above `dir` that holds `.git`, if any. */
function workTreeOf(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

export type Exposure =
  { readonly exposed: false } | { readonly exposed: true; readonly workTree: string; readonly why: string };

/**
 * `files` are absolute paths under one folder (they need not exist yet). Exposed when that folder
 * lies in a git work tree and git does not ignore every one of them; also when git cannot say.
 */
export function gitExposure(folder: string, files: readonly string[]): Exposure {
  const workTree = workTreeOf(folder);
  if (workTree === undefined) return { exposed: false };
  const paths = files.map((f) => relative(workTree, f));
  const answer = spawnSync('git', ['-C', workTree, 'check-ignore', '--stdin', '-z'], {
    input: paths.map((p) => `${p}\0`).join(''),
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // 0: some are ignored (listed), 1: none is; anything else (no git, not a work tree git trusts): unknown.
  if (answer.error !== undefined || (answer.status !== 0 && answer.status !== 1)) {
    return { exposed: true, workTree, why: 'git could not say whether it ignores the files training writes' };
  }
  const ignored = new Set(answer.stdout.split('\0').filter((line) => line !== ''));
  const tracked = paths.filter((p) => !ignored.has(p));
  if (tracked.length === 0) return { exposed: false };
  return {
    exposed: true,
    workTree,
    why: '`git add .` would pick up the kubeconfig and team repository training writes',
  };
}
