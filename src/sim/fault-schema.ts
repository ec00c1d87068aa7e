// What a fault body must look like, kind by kind, so POST /_sim/faults (and scenario files) reject
// a misspelt field with a message naming it instead of switching on a fault that does nothing.
import type { Fault } from './world.js';

type FieldType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'api'
  | 'regexp'
  | 'status'
  | 'rate'
  | 'nbStatus'
  | 'crashReason'
  | 'quantity';

interface FieldRule {
  readonly type: FieldType;
  readonly optional?: boolean;
}

const req = (type: FieldType): FieldRule => ({ type });
const opt = (type: FieldType): FieldRule => ({ type, optional: true });

export const FAULT_SCHEMAS: Readonly<Record<Fault['kind'], Readonly<Record<string, FieldRule>>>> = {
  'pod-stuck-terminating': { namespace: req('string'), labelSelector: req('string'), name: opt('string') },
  'volume-stuck-attached': { namespace: req('string'), pvc: req('string') },
  'linode-detach-never-completes': { volumeLabel: req('string') },
  'lke-recycle-leaves-volumes': {},
  'node-not-ready': { node: req('string'), untilReboot: opt('boolean') },
  'api-error': {
    api: req('api'),
    method: opt('string'),
    pathPattern: req('regexp'),
    status: req('status'),
    rate: req('rate'),
    retryAfterSeconds: opt('number'),
    count: opt('number'),
  },
  'conflict-once': { method: opt('string'), pathPattern: req('regexp') },
  latency: { api: req('api'), ms: req('number') },
  'volume-device-missing': { namespace: req('string'), pvc: req('string') },
  'pdb-never-allows': { namespace: req('string'), name: req('string') },
  'pod-crash-loop': { namespace: req('string'), labelSelector: req('string'), reason: opt('crashReason') },
  'redis-out-of-memory': {
    namespace: req('string'),
    labelSelector: req('string'),
    usedMemory: req('quantity'),
  },
  'postgres-too-many-clients': {
    namespace: req('string'),
    labelSelector: req('string'),
    clientSelector: opt('string'),
  },
  'node-memory-pressure': { node: req('string'), untilDrained: opt('boolean') },
  'watch-drop': { pathPattern: opt('regexp'), afterMs: opt('number'), count: opt('number') },
  'linode-event-fails': { action: req('string'), entityLabel: opt('string') },
  'linode-missing-scope': { scope: req('string') },
  'nodebalancer-backends-down': {
    nodebalancer: req('string'),
    port: opt('number'),
    status: opt('nbStatus'),
    whileMemoryPressure: opt('boolean'),
  },
};

export const FAULT_KINDS = Object.keys(FAULT_SCHEMAS) as Array<Fault['kind']>;

function checkField(name: string, rule: FieldRule, value: unknown): string | undefined {
  switch (rule.type) {
    case 'string':
      return typeof value === 'string' && value !== '' ? undefined : `${name} must be a non-empty string`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? undefined
        : `${name} must be a number >= 0`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${name} must be true or false`;
    case 'api':
      return value === 'kubernetes' || value === 'linode'
        ? undefined
        : `${name} must be "kubernetes" or "linode"`;
    case 'status':
      return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
        ? undefined
        : `${name} must be an HTTP error status (400-599)`;
    case 'rate':
      return typeof value === 'number' && value >= 0 && value <= 1
        ? undefined
        : `${name} must be a probability from 0 to 1`;
    case 'crashReason':
      return value === 'Error' || value === 'OOMKilled'
        ? undefined
        : `${name} must be "Error" or "OOMKilled"`;
    case 'quantity':
      return typeof value === 'string' && /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(value)
        ? undefined
        : `${name} must be a memory quantity such as 1300Mi or 2Gi`;
    case 'nbStatus':
      return value === 'DOWN' || value === 'Unknown' ? undefined : `${name} must be "DOWN" or "Unknown"`;
    case 'regexp':
      if (typeof value !== 'string') return `${name} must be a regular expression, as a string`;
      try {
        new RegExp(value);
        return undefined;
      } catch {
        return `${name} is not a valid regular expression: ${value}`;
      }
  }
}

/** The fault, or a message saying what is wrong with the body. */
export function parseFault(body: unknown): { ok: true; fault: Fault } | { ok: false; error: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, error: 'the body must be one fault: a JSON object with a "kind"' };
  const record = body as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !(kind in FAULT_SCHEMAS))
    return {
      ok: false,
      error: `unknown fault kind ${JSON.stringify(kind)}; known: ${FAULT_KINDS.join(', ')}`,
    };
  const schema = FAULT_SCHEMAS[kind as Fault['kind']];
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(schema)) {
    const value = record[name];
    if (value === undefined) {
      if (rule.optional !== true) problems.push(`${name} is required`);
      continue;
    }
    const problem = checkField(name, rule, value);
    if (problem !== undefined) problems.push(problem);
  }
  for (const name of Object.keys(record))
    if (name !== 'kind' && !(name in schema))
      problems.push(`${name} is not a field of ${kind} (fields: ${Object.keys(schema).join(', ')})`);
  if (problems.length > 0) return { ok: false, error: `fault ${kind}: ${problems.join('; ')}` };
  return { ok: true, fault: record as unknown as Fault };
}
