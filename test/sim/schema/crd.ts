// Structural validation of a custom resource against its CRD's openAPIV3Schema, the way the API
// server's structural schema reads it: types, required, enums, items, additionalProperties, and
// unknown fields (pruned by a real server) unless x-kubernetes-preserve-unknown-fields allows them.
import type { SchemaFinding } from './strict.js';

export interface StructuralSchema {
  type?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** Fields every object has whatever its CRD says; metadata is checked against ObjectMeta instead. */
const IMPLICIT_TOP_LEVEL = new Set(['apiVersion', 'kind', 'metadata']);

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

function check(
  schema: StructuralSchema,
  value: unknown,
  path: string,
  top: boolean,
  out: SchemaFinding[],
): void {
  if (value === null) {
    if (schema.nullable !== true) out.push({ path, problem: 'null where the schema is not nullable' });
    return;
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof value !== 'string' && !Number.isInteger(value))
      out.push({ path, problem: 'expected integer or string' });
    return;
  }
  if (schema.type !== undefined && !typeMatches(schema.type, value)) {
    out.push({ path, problem: `expected ${schema.type}` });
    return;
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => e === value))
    out.push({ path, problem: `not one of ${JSON.stringify(schema.enum)}` });
  if (Array.isArray(value)) {
    if (schema.items !== undefined)
      value.forEach((item, i) => check(schema.items ?? {}, item, pointer(path, i), false, out));
    return;
  }
  if (typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const name of schema.required ?? [])
    if (record[name] === undefined) out.push({ path, problem: `required field ${name} is missing` });
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const [key, child] of Object.entries(record)) {
    if (top && IMPLICIT_TOP_LEVEL.has(key)) continue;
    const property = schema.properties?.[key];
    if (property !== undefined) check(property, child, pointer(path, key), false, out);
    else if (typeof schema.additionalProperties === 'object')
      check(schema.additionalProperties, child, pointer(path, key), false, out);
    else if (schema.additionalProperties !== true && !preserve && schema.properties !== undefined)
      out.push({
        path: pointer(path, key),
        problem: 'unknown field: the CRD schema does not define it (a real server prunes it)',
      });
  }
}

/** Every way `object` departs from its CRD's openAPIV3Schema (metadata aside). */
export function validateCustomResource(schema: StructuralSchema, object: unknown): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  check(schema, object, '', true, out);
  return out;
}
