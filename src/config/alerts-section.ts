// The `alerts:` section: a team's own alert routes, checked against the runbooks they name, and handed
// to `for-alert` as the AlertRoute values the built-in ones are.
import { type Node, isSeq } from 'yaml';
import { RUNBOOKS } from '../../runbooks/index.js';
import type { AlertRoute } from '../../runbooks/alerts.js';
import { declaredParam } from './declared-param.js';
import { type Where, entriesOf, onlyKeys, problem, shapeOf, textOf } from './check-values.js';
import type { Located } from './schema.js';
import { didYouMean } from './suggest.js';

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function readRoute(where: Where, node: Node, index: number): Located<AlertRoute> {
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
  const runbook = RUNBOOKS.find((r) => r.id === id);
  if (runbook === undefined) {
    const hint = didYouMean(
      id,
      RUNBOOKS.map((r) => r.id),
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
  const whyEntry = field('why');
  const line = where.doc.lineOf(node);
  const why =
    whyEntry === undefined
      ? `from ${where.shown} line ${line}`
      : textOf(where, whyEntry.value, whyEntry.keyNode, `${at}.why`, false);
  const route: AlertRoute = {
    alert,
    runbook: runbook.id,
    ...(Object.keys(params).length === 0 ? {} : { params }),
    why,
  };
  return { value: route, key: at, line };
}

export function readAlertsSection(where: Where, node: unknown): Array<Located<AlertRoute>> {
  if (node === null || node === undefined) return [];
  if (!isSeq(node)) {
    throw problem(
      where,
      node as Node,
      `alerts must be a list of routes (- alert: …, runbook: …), not ${shapeOf(node)}.`,
    );
  }
  return node.items.map((item, index) => readRoute(where, item as Node, index));
}
