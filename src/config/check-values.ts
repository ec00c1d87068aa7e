// The small checks every section of the file shares: which YAML shape a value has, and one sentence,
// naming the file, the line and the key, when it is not the shape wanted.
import { type Node, type Pair, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { invalidParameter, type RunbookError } from '../engine/errors.js';
import type { LinedDocument } from './yaml-document.js';
import { didYouMean } from './suggest.js';

export interface Where {
  readonly doc: LinedDocument;
  /** The file as messages name it. */
  readonly shown: string;
}

export function problem(where: Where, node: Node | null | undefined, message: string): RunbookError {
  return invalidParameter(`${where.shown} line ${where.doc.lineOf(node)}: ${message}`);
}

/** What a value is, in words, for "must be a map, not a list". */
export function shapeOf(node: unknown): string {
  if (node === null || node === undefined) return 'empty';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return 'a YAML alias';
  if (isScalar(node)) {
    const value: unknown = node.value;
    if (value === null) return 'empty';
    if (typeof value === 'boolean') return `${String(value)} (a yes/no value)`;
    if (typeof value === 'number') return `the number ${String(value)}`;
    return 'text';
  }
  return 'something else';
}

/** The entries of a map, each with its key as text; null (an empty section) is an empty map. */
export function entriesOf(
  where: Where,
  node: unknown,
  key: string,
): Array<{ name: string; keyNode: Node; value: Node | null; pair: Pair }> {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isMap(node))
    throw problem(where, node as Node, `${key} must be a map of names to values, not ${shapeOf(node)}.`);
  return node.items.map((pair) => {
    const keyNode = pair.key as Node;
    if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
      throw problem(where, keyNode, `${key} has a key that is not a name (${shapeOf(keyNode)}).`);
    }
    return { name: keyNode.value, keyNode, value: (pair.value ?? null) as Node | null, pair: pair };
  });
}

/** Refuses any key outside `known`, suggesting the nearest one. */
export function onlyKeys(
  where: Where,
  entries: ReadonlyArray<{ name: string; keyNode: Node }>,
  prefix: string,
  known: readonly string[],
  what: string,
): void {
  for (const { name, keyNode } of entries) {
    if (!known.includes(name)) {
      const hint = didYouMean(name, known);
      throw problem(
        where,
        keyNode,
        `${prefix}${name} is not ${what}${hint === '' ? `: it takes ${known.join(', ')}.` : hint}`,
      );
    }
  }
}

/** A text value (a number is taken as its digits, as on a command line); `at` is its key, for the line. */
export function textOf(where: Where, value: Node | null, at: Node, key: string, numbers = true): string {
  if (isScalar(value)) {
    if (typeof value.value === 'string') return value.value;
    if (numbers && typeof value.value === 'number' && Number.isFinite(value.value))
      return String(value.value);
  }
  if (value === null || (isScalar(value) && value.value === null))
    throw problem(where, at, `${key} has no value.`);
  throw problem(
    where,
    value,
    `${key} must be ${numbers ? 'text or a number' : 'text'}, not ${shapeOf(value)}.`,
  );
}
