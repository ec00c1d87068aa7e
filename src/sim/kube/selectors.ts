// Label and field selectors as the API server parses and applies them to lists and watches.
import type { KubeObject } from '../world.js';
import { errors } from './errors.js';
import type { ResourceDef } from './registry.js';

type LabelRequirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = LabelRequirement[];

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (text == null || text.trim() === '') return [];
  return splitTerms(text).map((term): LabelRequirement => {
    let m = /^!\s*([^\s=!(),]+)$/.exec(term);
    if (m?.[1] !== undefined) return { op: 'notexists', key: m[1] };
    m = /^([^\s=!(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined) {
      const values = m[3]
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { op: m[2] === 'in' ? 'in' : 'notin', key: m[1], values };
    }
    m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
    if (m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined)
      return { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1], value: m[3] };
    m = /^([^\s=!(),]+)$/.exec(term);
    if (m?.[1] !== undefined) return { op: 'exists', key: m[1] };
    throw errors.badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
  });
}

export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const value = l[r.key];
    switch (r.op) {
      case 'eq':
        return value === r.value;
      case 'neq':
        return value !== r.value;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
      case 'exists':
        return value !== undefined;
      case 'notexists':
        return value === undefined;
    }
  });
}

/** A metav1.LabelSelector object (matchLabels / matchExpressions) as a matcher. */
export function labelSelectorFromObject(selector: unknown): LabelSelector {
  const out: LabelSelector = [];
  if (selector === null || typeof selector !== 'object') return out;
  const s = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  for (const [key, value] of Object.entries(s.matchLabels ?? {})) out.push({ op: 'eq', key, value });
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'In') out.push({ op: 'in', key: e.key, values: e.values ?? [] });
    else if (e.operator === 'NotIn') out.push({ op: 'notin', key: e.key, values: e.values ?? [] });
    else if (e.operator === 'Exists') out.push({ op: 'exists', key: e.key });
    else if (e.operator === 'DoesNotExist') out.push({ op: 'notexists', key: e.key });
  }
  return out;
}

/** The selector string form of a matchLabels map (`a=b,c=d`), as Scale.status.selector shows it. */
export function selectorString(selector: unknown): string {
  return labelSelectorFromObject(selector)
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.value}`;
        case 'neq':
          return `${r.key}!=${r.value}`;
        case 'in':
          return `${r.key} in (${r.values.join(',')})`;
        case 'notin':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case 'notexists':
          return `!${r.key}`;
      }
    })
    .join(',');
}

export type FieldSelector = Array<{ field: string; op: 'eq' | 'neq'; value: string }>;

export function parseFieldSelector(text: string | null | undefined, def: ResourceDef): FieldSelector {
  if (text == null || text.trim() === '') return [];
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(def.fieldLabels ?? [])]);
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((term) => {
      const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined)
        throw errors.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
      if (!allowed.has(m[1])) throw errors.badRequest(`field label not supported: ${m[1]}`);
      return { field: m[1], op: m[2] === '!=' ? ('neq' as const) : ('eq' as const), value: m[3] };
    });
}

function fieldValue(object: KubeObject, field: string): string {
  if (field === 'source') {
    const source = object.source as { component?: string } | undefined;
    return source?.component ?? '';
  }
  let current: unknown = object;
  for (const part of field.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return field === 'spec.unschedulable' ? 'false' : '';
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return '';
}

export function matchesFields(selector: FieldSelector, object: KubeObject): boolean {
  return selector.every((r) => (fieldValue(object, r.field) === r.value) === (r.op === 'eq'));
}
