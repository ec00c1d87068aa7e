// X-Filter as Linode evaluates it: top-level keys AND, +and/+or, field operators, dotted keys,
// +order_by/+order, and 400 "Cannot filter on <key>" for a field the collection does not filter on.
import { parseLinodeTime } from './format.js';
import { REASON } from './reasons.js';
import { apiError, type Reply } from './reply.js';

type Item = Record<string, unknown>;

export interface Query {
  matches(item: Item): boolean;
  orderBy: string | undefined;
  order: 'asc' | 'desc';
}

const OPERATORS = new Set(['+gt', '+gte', '+lt', '+lte', '+contains', '+neq', '+eq']);
const DATE_FIELDS = new Set(['created', 'updated']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lookup(item: Item, key: string): unknown {
  let current: unknown = item;
  for (const part of key.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}

function comparable(key: string, value: unknown): number | string | boolean | null | undefined {
  if (DATE_FIELDS.has(key) && typeof value === 'string') {
    const ms = parseLinodeTime(value);
    return Number.isNaN(ms) ? value : ms;
  }
  if (
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return value;
  }
  return undefined;
}

function equal(key: string, actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((element) => equal(key, element, expected));
  const a = comparable(key, actual);
  const b = comparable(key, expected);
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) {
    return a === Number(b);
  }
  return a === b;
}

function compare(key: string, actual: unknown, expected: unknown, op: string): boolean {
  const a = comparable(key, actual);
  const b = comparable(key, expected);
  if (a === null || a === undefined || b === null || b === undefined) return false;
  if (typeof a !== typeof b) return false;
  switch (op) {
    case '+gt':
      return a > b;
    case '+gte':
      return a >= b;
    case '+lt':
      return a < b;
    default:
      return a <= b;
  }
}

function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((element) => contains(element, expected));
  if (typeof actual !== 'string' && typeof actual !== 'number') return false;
  return String(actual).toLowerCase().includes(String(expected).toLowerCase());
}

function fieldMatches(key: string, condition: unknown, item: Item): boolean {
  const actual = lookup(item, key);
  if (!isObject(condition)) return equal(key, actual, condition);
  return Object.entries(condition).every(([op, expected]) => {
    switch (op) {
      case '+eq':
        return equal(key, actual, expected);
      case '+neq':
        return !equal(key, actual, expected);
      case '+contains':
        return contains(actual, expected);
      default:
        return compare(key, actual, expected, op);
    }
  });
}

type Compiled = (item: Item) => boolean;

/** Compiles one filter object; returns an error Reply for a key or operator Linode would refuse. */
function compile(filter: Record<string, unknown>, filterable: ReadonlySet<string>): Compiled | Reply {
  const parts: Compiled[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '+order_by' || key === '+order') continue;
    if (key === '+and' || key === '+or') {
      if (!Array.isArray(value)) return apiError(400, REASON.badFilter, 'X-Filter');
      const subs: Compiled[] = [];
      for (const sub of value) {
        if (!isObject(sub)) return apiError(400, REASON.badFilter, 'X-Filter');
        const compiled = compile(sub, filterable);
        if (typeof compiled !== 'function') return compiled;
        subs.push(compiled);
      }
      parts.push(key === '+and' ? (item) => subs.every((s) => s(item)) : (item) => subs.some((s) => s(item)));
      continue;
    }
    if (!filterable.has(key)) return apiError(400, REASON.cannotFilter(key), 'X-Filter');
    if (isObject(value)) {
      const bad = Object.keys(value).find((op) => !OPERATORS.has(op));
      if (bad !== undefined) return apiError(400, REASON.badOperator(bad), 'X-Filter');
    }
    parts.push((item) => fieldMatches(key, value, item));
  }
  return (item) => parts.every((p) => p(item));
}

/** Parses the X-Filter header for a collection whose filterable fields are `filterable`. */
export function parseFilter(header: string | undefined, filterable: ReadonlySet<string>): Query | Reply {
  if (header === undefined || header.trim() === '') {
    return { matches: () => true, orderBy: undefined, order: 'asc' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return apiError(400, REASON.badFilter, 'X-Filter');
  }
  if (!isObject(parsed)) return apiError(400, REASON.badFilter, 'X-Filter');
  const compiled = compile(parsed, filterable);
  if (typeof compiled !== 'function') return compiled;
  const orderBy = parsed['+order_by'];
  const order = parsed['+order'] ?? 'asc';
  if (orderBy !== undefined && (typeof orderBy !== 'string' || !filterable.has(orderBy))) {
    return apiError(
      400,
      REASON.cannotOrder(typeof orderBy === 'string' ? orderBy : JSON.stringify(orderBy)),
      'X-Filter',
    );
  }
  if (order !== 'asc' && order !== 'desc') return apiError(400, REASON.badOrder, 'X-Filter');
  return { matches: compiled, orderBy, order };
}

/** Filters and sorts `items` (stable: ties keep their default order). */
export function applyQuery(items: readonly Item[], query: Query): Item[] {
  const kept = items.filter((item) => query.matches(item));
  const { orderBy } = query;
  if (orderBy === undefined) return kept;
  const sign = query.order === 'desc' ? -1 : 1;
  return kept
    .map((item, index) => ({ item, index, key: comparable(orderBy, lookup(item, orderBy)) }))
    .sort((x, y) => {
      if (x.key === y.key || x.key === undefined || y.key === undefined || x.key === null || y.key === null) {
        return x.index - y.index;
      }
      return (x.key < y.key ? -1 : 1) * sign;
    })
    .map((entry) => entry.item);
}
