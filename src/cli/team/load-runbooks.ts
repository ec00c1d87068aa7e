// Loads a team's own runbooks from its folder: each *.ts, *.js or *.mjs file is bundled by esbuild
// (TypeScript stripped, its relative imports inlined) with `runbook` and `runbook/authoring` pointing
// at THIS package's authoring module, so a folder with no node_modules works and the team's steps
// share the engine's classes. A file that fails is reported on one line; the others still load.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AnyRunbook } from '../../engine/runbook.js';

/** At most this many files are read from a team's folder. */
export const MAX_TEAM_FILES = 200;

const RUNBOOK_FILE = /\.(ts|mts|js|mjs)$/;
const NOT_A_RUNBOOK = /\.(test|spec)\.[a-z]+$|\.d\.[a-z]*ts$/;

export interface TeamRunbook {
  readonly runbook: AnyRunbook;
  /** The file it came from, relative to the folder. */
  readonly file: string;
}

export interface TeamLoad {
  readonly folder: string;
  readonly runbooks: readonly TeamRunbook[];
  /** One line per file that did not load: `file: why`. */
  readonly failures: readonly string[];
}

/** The authoring module of the running package, as a file URL the bundled runbook imports. */
const AUTHORING = new URL('../../authoring.js', import.meta.url).href;

export async function loadTeamRunbooks(folder: string): Promise<TeamLoad> {
  const dir = resolve(folder);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => RUNBOOK_FILE.test(n) && !NOT_A_RUNBOOK.test(n));
  } catch {
    return { folder: dir, runbooks: [], failures: [`${folder}: not a folder that can be read`] };
  }
  names.sort();
  const failures: string[] = [];
  if (names.length > MAX_TEAM_FILES) {
    failures.push(`${folder}: ${names.length} files; only the first ${MAX_TEAM_FILES} were read`);
    names = names.slice(0, MAX_TEAM_FILES);
  }
  const runbooks: TeamRunbook[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    try {
      const found = runbooksIn(await importBundled(path));
      if (found.length === 0) throw new Error('exports no runbook (export default defineRunbook({ … }))');
      for (const runbook of found) runbooks.push({ runbook: complete(runbook), file: name });
    } catch (error) {
      failures.push(`${name}: ${oneLine(error)}`);
    }
  }
  return { folder: dir, runbooks, failures };
}

async function importBundled(path: string): Promise<Record<string, unknown>> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    packages: 'external',
    plugins: [
      {
        name: 'runbook-authoring',
        setup(b) {
          b.onResolve({ filter: /^runbook(\/authoring)?$/ }, () => ({ path: AUTHORING, external: true }));
        },
      },
    ],
  });
  const code = result.outputFiles[0]?.text ?? '';
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as Record<
    string,
    unknown
  >;
}

/** Every export that is a runbook (default or named), once each. */
function runbooksIn(module: Record<string, unknown>): AnyRunbook[] {
  const found = new Set<AnyRunbook>();
  for (const value of Object.values(module)) if (looksLikeRunbook(value)) found.add(value);
  return [...found];
}

function looksLikeRunbook(value: unknown): value is AnyRunbook {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<Record<keyof AnyRunbook, unknown>>;
  return (
    typeof r.id === 'string' &&
    typeof r.title === 'string' &&
    Array.isArray(r.steps) &&
    typeof r.params === 'object' &&
    r.params !== null
  );
}

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The runbook, checked for what the CLI relies on; one sentence on the first thing missing. */
function complete(runbook: AnyRunbook): AnyRunbook {
  if (!ID.test(runbook.id)) throw new Error(`its id "${runbook.id}" is not kebab-case (like my-runbook)`);
  for (const key of ['summary', 'defaultScenario'] as const) {
    if (typeof runbook[key] !== 'string') throw new Error(`runbook ${runbook.id} has no ${key} (text)`);
  }
  if (typeof runbook.mutating !== 'boolean')
    throw new Error(`runbook ${runbook.id} has no mutating (true/false)`);
  const bad = (runbook.steps as unknown[]).findIndex(
    (s) =>
      typeof (s as { id?: unknown }).id !== 'string' || typeof (s as { plan?: unknown }).plan !== 'function',
  );
  if (bad >= 0) throw new Error(`step ${bad + 1} of ${runbook.id} has no id or no plan()`);
  return { ...runbook, postmortems: Array.isArray(runbook.postmortems) ? runbook.postmortems : [] };
}

function oneLine(error: unknown): string {
  const errors = (error as { errors?: Array<{ text?: string; location?: { line?: number } }> }).errors;
  const first = errors?.[0];
  if (first?.text !== undefined) {
    return `${first.text}${first.location?.line === undefined ? '' : ` (line ${first.location.line})`}`;
  }
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n').find((l) => l.trim() !== '') ?? 'failed to load').trim().slice(0, 300);
}
