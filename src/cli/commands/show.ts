// `runbook show <id>`: a runbook explained from its declaration. The same explanation, as data
// (explainRunbook), is what `runbook docs` renders as Markdown.
import { join } from 'node:path';
import { ALERT_ROUTES } from '../../../runbooks/alerts.js';
import { findAnyRunbook } from '../team/registry.js';
import { usageError } from '../../engine/errors.js';
import { flagFor } from '../../engine/params.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { type Io, println } from '../io.js';
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
      flag: `${flagFor(name)} ${spec.placeholder}`,
      description: `${spec.description}${spec.required === true ? ' (required)' : ''}${spec.default === undefined ? '' : ` (default: ${JSON.stringify(spec.default).replace(/^"|"$/g, '')})`}`,
    })),
    steps: runbook.steps.map((step) => ({ id: step.id, title: step.title, explain: step.explain })),
  };
}

export function showCommand(id: string, io: Io): Promise<number> {
  const runbook = findAnyRunbook(id);
  if (runbook === undefined) {
    throw usageError(`There is no runbook called "${id}".`, '`runbook list` shows the runbooks.');
  }
  const e = explainRunbook(runbook);
  const out = (line = ''): void => println(io.stdout, line);
  out(`${e.id}: ${e.title}`);
  out();
  out(e.summary);
  out();
  // Absolute paths into this copy: an installed runbook's docs are wherever npm put the package.
  if (e.postmortems.length === 0) out('Codifies the recovery of: no postmortem (a written procedure)');
  else out('Codifies the recovery of:');
  for (const file of e.postmortems) out(`  ${join(packageRoot(), file)}`);
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
  return Promise.resolve(0);
}
