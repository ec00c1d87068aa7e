// The `alerts:` section: a team's own alert routes, checked against the runbooks they name (built-in or
// the team's own), and handed to `for-alert` as the AlertRoute values the built-in ones are.
import { type Node, isSeq } from 'yaml';
import type { AlertRoute } from '../../runbooks/alerts.js';
import type { KnownRunbooks } from './known-runbooks.js';
import { declaredParam } from './declared-param.js';
import { type Where, entriesOf, onlyKeys, problem, shapeOf, textOf } from './check-values.js';
import type { Located } from './schema.js';
import { didYouMean } from './suggest.js';

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function readRoute(where: Where, node: Node, index: number, known: KnownRunbooks): Located<AlertRoute> {
  const at = `alerts[${index}]`;
  const entries = entriesOf(where, node, at);
  onlyKeys(where, entries, `${at}.`, ['alert', 'runbook', 'params', 'why'], 'a field of an alert route');
  const field = (name: string): (typeof entries)[number] | undefined => entries.find((e) => e.name === name);
  const alertEntry = field('alert');
  const runbookEntry = field('runbook');
  if (alertEntry === undefined) throw problem(where, node, `${at} has no alert: name the alert it answers.`);
  if (runbookEntry === undefined)
    throw problem(where, node, `${at} has no runbook: name the runbook that answers it.`);
  const alert = textOf(where, alertEntry.value, alertEntry.keyNode, `${at}.alert`, false);
  const id = textOf(where, runbookEntry.value, runbookEntry.keyNode, `${at}.runbook`, false);
  const runbook = known.runbooks.find((r) => r.id === id);
  const line = where.doc.lineOf(node);
  // Not read in this invocation: may be one of the team's; checked when a command that reads them loads it.
  if (runbook === undefined && known.teamUnread) {
    return { value: unchecked(where, entries, { at, alert, id, line }), key: at, line };
  }
  if (runbook === undefined) {
    const hint = didYouMean(
      id,
      known.runbooks.map((r) => r.id),
    );
    throw problem(
      where,
      runbookEntry.value,
      `${at}.runbook ${id} is not a runbook${hint === '' ? ': `runbook list` shows them.' : hint}`,
    );
  }
  const params: Record<string, string> = {};
  const paramsEntry = field('params');
  for (const param of paramsEntry === undefined ? [] : entriesOf(where, paramsEntry.value, `${at}.params`)) {
    const key = `${at}.params.${param.name}`;
    const { name, spec } = declaredParam(where, runbook, param.name, param.keyNode, key);
    const text = textOf(where, param.value, param.keyNode, key);
    const labels = [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
    const bad = labels.find((label) => !LABEL.test(label));
    if (bad !== undefined) {
      throw problem(
        where,
        param.value,
        `${key} has {{${bad}}}, which is not a label name (letters, digits and _).`,
      );
    }
    // A fixed value must be one the parameter takes; one filled from labels is checked when it fires.
    if (labels.length === 0 && spec.kind !== 'path')
      spec.parse(text, `${where.shown} line ${where.doc.lineOf(param.value ?? param.keyNode)}: ${key}`);
    params[name] = text;
  }
  const route: AlertRoute = {
    alert,
    runbook: runbook.id,
    ...(Object.keys(params).length === 0 ? {} : { params }),
    why: whyOf(where, entries, at, line),
  };
  return { value: route, key: at, line };
}

type Entries = ReturnType<typeof entriesOf>;

function whyOf(where: Where, entries: Entries, at: string, line: number): string {
  const whyEntry = entries.find((e) => e.name === 'why');
  return whyEntry === undefined
    ? `from ${where.shown} line ${line}`
    : textOf(where, whyEntry.value, whyEntry.keyNode, `${at}.why`, false);
}

/** A route to a runbook not read yet: its params as written (the runbook checks them when it runs). */
function unchecked(
  where: Where,
  entries: Entries,
  { at, alert, id, line }: { at: string; alert: string; id: string; line: number },
): AlertRoute {
  const paramsEntry = entries.find((e) => e.name === 'params');
  const params: Record<string, string> = {};
  for (const param of paramsEntry === undefined ? [] : entriesOf(where, paramsEntry.value, `${at}.params`)) {
    params[param.name] = textOf(where, param.value, param.keyNode, `${at}.params.${param.name}`);
  }
  return {
    alert,
    runbook: id,
    ...(Object.keys(params).length === 0 ? {} : { params }),
    why: whyOf(where, entries, at, line),
  };
}

export function readAlertsSection(
  where: Where,
  node: unknown,
  known: KnownRunbooks,
): Array<Located<AlertRoute>> {
  if (node === null || node === undefined) return [];
  if (!isSeq(node)) {
    throw problem(
      where,
      node as Node,
      `alerts must be a list of routes (- alert: …, runbook: …), not ${shapeOf(node)}.`,
    );
  }
  return node.items.map((item, index) => readRoute(where, item as Node, index, known));
}
