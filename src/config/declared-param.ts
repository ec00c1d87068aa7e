// A parameter named in the file must be one the runbook declares: both the runbooks: sections and an
// alert route's params: refuse any other the same way, with the names it does have.
import type { Node } from 'yaml';
import type { ParamSpec } from '../engine/params.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { type Where, problem } from './check-values.js';
import { fileName, specName } from './param-names.js';
import { didYouMean } from './suggest.js';

/** The spec's name and spec for `written`, or one sentence naming the line and the names it has. */
export function declaredParam(
  where: Where,
  runbook: AnyRunbook,
  written: string,
  keyNode: Node | null | undefined,
  key: string,
): { readonly name: string; readonly spec: ParamSpec<unknown> } {
  const name = specName(runbook, written);
  const spec = name === undefined ? undefined : runbook.params[name];
  if (name !== undefined && spec !== undefined) return { name, spec };
  const known = Object.keys(runbook.params).map(fileName);
  const hint = didYouMean(written, known);
  throw problem(
    where,
    keyNode,
    `${key} is not a parameter of ${runbook.id}${hint === '' ? `: it has ${known.join(', ')}.` : hint}`,
  );
}
