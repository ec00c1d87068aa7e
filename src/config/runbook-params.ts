// The `runbooks:` and `defaults:` sections: default parameters, checked by each parameter's own parse
// (the one a flag goes through), so the file obeys exactly the rules of the command line.
import { isAbsolute, resolve } from 'node:path';
import type { Node } from 'yaml';
import type { ParamSpec } from '../engine/params.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { declaredParam } from './declared-param.js';
import { type Where, entriesOf, problem, textOf } from './check-values.js';
import { fileName, specName } from './param-names.js';
import type { Located } from './schema.js';
import { didYouMean } from './suggest.js';
import type { KnownRunbooks } from './known-runbooks.js';

interface ParamWhere extends Where {
  /** The folder of the file: relative paths in it are relative to it. */
  readonly dir: string;
}

/** The text a flag would carry for this value: paths made absolute against the file's folder. */
function checkedValue(
  where: ParamWhere,
  spec: ParamSpec<unknown>,
  text: string,
  valueNode: Node | null,
  at: Node,
  key: string,
): string {
  const value = spec.kind === 'path' && !isAbsolute(text) ? resolve(where.dir, text) : text;
  const line = where.doc.lineOf(valueNode ?? at);
  // The spec's own sentence, with the file, line and key where a flag's name would be.
  spec.parse(value, `${where.shown} line ${line}: ${key}`);
  return value;
}

export function readRunbooksSection(
  where: ParamWhere,
  node: unknown,
  known: KnownRunbooks,
): Map<string, Map<string, Located<string>>> {
  const result = new Map<string, Map<string, Located<string>>>();
  const ids = known.runbooks.map((r) => r.id);
  for (const entry of entriesOf(where, node, 'runbooks')) {
    const runbook = known.runbooks.find((r) => r.id === entry.name);
    if (runbook === undefined) {
      // Perhaps one of the team's: checked by the commands that read the team's folder.
      if (known.teamUnread) continue;
      const hint = didYouMean(entry.name, ids);
      throw problem(
        where,
        entry.keyNode,
        `runbooks.${entry.name} is not a runbook${hint === '' ? ': `runbook list` shows them (the team’s own too).' : hint}`,
      );
    }
    const params = new Map<string, Located<string>>();
    for (const param of entriesOf(where, entry.value, `runbooks.${runbook.id}`)) {
      const key = `runbooks.${runbook.id}.${param.name}`;
      const { name, spec } = declaredParam(where, runbook, param.name, param.keyNode, key);
      const text = textOf(where, param.value, param.keyNode, key);
      const value = checkedValue(where, spec, text, param.value, param.keyNode, key);
      params.set(name, { value, key, line: where.doc.lineOf(param.keyNode) });
    }
    result.set(runbook.id, params);
  }
  return result;
}

export function readDefaultsSection(
  where: ParamWhere,
  node: unknown,
  known: KnownRunbooks,
): Map<string, Located<string>> {
  const result = new Map<string, Located<string>>();
  const names = [...new Set(known.runbooks.flatMap((r) => Object.keys(r.params).map(fileName)))];
  for (const param of entriesOf(where, node, 'defaults')) {
    const key = `defaults.${param.name}`;
    const having = known.runbooks.filter((r) => specName(r, param.name) !== undefined);
    if (having.length === 0) {
      // Perhaps a parameter of the team's runbooks only: checked once their folder is read.
      if (known.teamUnread) continue;
      const hint = didYouMean(param.name, names);
      throw problem(
        where,
        param.keyNode,
        `${key} is not a parameter of any runbook${hint === '' ? ': `runbook show <id>` lists each one’s.' : hint}`,
      );
    }
    const text = textOf(where, param.value, param.keyNode, key);
    let value = text;
    for (const runbook of having) {
      const spec = runbook.params[specName(runbook, param.name) ?? ''];
      if (spec !== undefined) value = checkedValue(where, spec, text, param.value, param.keyNode, key);
    }
    result.set(specName(having[0] as AnyRunbook, param.name) ?? param.name, {
      value,
      key,
      line: where.doc.lineOf(param.keyNode),
    });
  }
  return result;
}
