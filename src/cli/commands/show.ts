// `runbook show <id>`: a runbook explained from its declaration. The same explanation, as data
// (explainRunbook), is what `runbook docs` renders as Markdown.
import { join } from 'node:path';
import { ALERT_ROUTES } from '../../../runbooks/alerts.js';
import { RUNBOOKS } from '../../../runbooks/index.js';
import { findAnyRunbook, teamRunbooks } from '../team/registry.js';
import { usageError } from '../../engine/errors.js';
import { paramFlags } from '../param-flags.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { type Io, println } from '../io.js';
import { didYouMean } from '../did-you-mean.js';
import { type OutputFormat, printAs } from '../output.js';
import { packageRoot } from '../package-root.js';

export interface RunbookExplanation {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** The postmortems' files, relative to the package (docs/postmortems/<name>.rst). */
  readonly postmortems: readonly string[];
  readonly changes: string;
  readonly rehearse: string;
  /** The alerts that lead here (runbooks/alerts.ts). */
  readonly alerts: readonly string[];
  readonly params: ReadonlyArray<{ readonly flag: string; readonly description: string }>;
  readonly steps: ReadonlyArray<{ readonly id: string; readonly title: string; readonly explain: string }>;
}

export function explainRunbook(runbook: AnyRunbook): RunbookExplanation {
  return {
    id: runbook.id,
    title: runbook.title,
    summary: runbook.summary,
    postmortems: runbook.postmortems.map((p) => `docs/postmortems/${p}.rst`),
    changes: runbook.mutating ? 'yes (every change is shown and confirmed; --dry-run changes nothing)' : 'no',
    rehearse: `runbook ${runbook.id} --sim ${runbook.defaultScenario}`,
    alerts: ALERT_ROUTES.filter((r) => r.runbook === runbook.id).map((r) => r.alert),
    params: Object.entries(runbook.params).map(([name, spec]) => ({
      flag: paramFlags(name, spec.placeholder),
      description: `${spec.description}${spec.required === true ? ' (required)' : ''}${spec.default === undefined ? '' : ` (default: ${JSON.stringify(spec.default).replace(/^"|"$/g, '')})`}`,
    })),
    steps: runbook.steps.map((step) => ({ id: step.id, title: step.title, explain: step.explain })),
  };
}

/** The sentence for a runbook id that is not there, with the nearest ids. */
export function noSuchRunbook(id: string): ReturnType<typeof usageError> {
  const ids = [...RUNBOOKS.map((r) => r.id), ...teamRunbooks().map((t) => t.runbook.id)];
  return usageError(
    `There is no runbook called "${id}".`,
    `${didYouMean(id, ids).trim()} \`runbook list\` shows the runbooks.`.trim(),
  );
}

export async function showCommand(id: string, io: Io, format: OutputFormat = 'text'): Promise<number> {
  const runbook = findAnyRunbook(id);
  if (runbook === undefined) throw noSuchRunbook(id);
  const e = explainRunbook(runbook);
  // Absolute paths into this copy: an installed runbook's docs are wherever npm put the package.
  const postmortems = e.postmortems.map((file) => join(packageRoot(), file));
  await printAs(
    io,
    format,
    () => ({ ...e, postmortems }),
    () => showText(e, postmortems, io),
  );
  return 0;
}

function showText(e: RunbookExplanation, postmortems: readonly string[], io: Io): void {
  const out = (line = ''): void => println(io.stdout, line);
  out(`${e.id}: ${e.title}`);
  out();
  out(e.summary);
  out();
  if (postmortems.length === 0) out('Codifies the recovery of: no postmortem (a written procedure)');
  else out('Codifies the recovery of:');
  for (const file of postmortems) out(`  ${file}`);
  out(`Changes things: ${e.changes}`);
  out(`Rehearse it: ${e.rehearse}`);
  if (e.alerts.length > 0) out(`Alerts that lead here: ${e.alerts.join(', ')}`);
  out();
  out('Parameters:');
  for (const param of e.params) out(`  ${param.flag.padEnd(34)} ${param.description}`);
  out();
  out('Steps:');
  e.steps.forEach((step, index) => {
    out(`  ${index + 1}. ${step.title}  [${step.id}]`);
    out(`     ${step.explain}`);
  });
}
