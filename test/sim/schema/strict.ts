// Runs a compiled schema over an object and adds the two checks the compiled form leaves out: fields
// the schema does not name (found by watching which properties the validator reads), and nulls (the
// package lets every optional field be null; a real API server omits empty fields instead).
import type { CompiledError, CompiledValidate } from './builtin.js';

export interface SchemaFinding {
  /** JSON pointer into the object, e.g. /spec/template/spec/containers/0/image. */
  path: string;
  problem: string;
}

/**
 * Fields a real API server of 1.32 sends as null when unset: metav1.Time and MicroTime are structs
 * held by value, which encoding/json's omitempty never omits, and they marshal their zero as null
 * (e.g. a pod condition's lastProbeTime, an Event's eventTime, a template's creationTimestamp).
 */
const NULL_ALLOWED =
  /\/(creationTimestamp|lastProbeTime|lastTransitionTime|lastHeartbeatTime|lastUpdateTime|startedAt|finishedAt|eventTime|firstTimestamp|lastTimestamp)$/;

function pointer(path: string, key: string | number): string {
  return `${path}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function describeError(error: CompiledError): string {
  const p = error.params;
  switch (error.keyword) {
    case 'required':
      return `required field ${String(p.missingProperty)} is missing`;
    case 'type':
      return `expected ${String(p.type)}`;
    case 'enum':
      return `not one of ${JSON.stringify(p.allowedValues)}`;
    case 'format':
      return `not in format ${String(p.format)}`;
    default:
      return `${error.keyword} ${JSON.stringify(p)}${error.message === undefined ? '' : `: ${error.message}`}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The proxy records every property the validator reads (get) or tests (in) on each object it reaches. */
function tracked(root: unknown): { proxy: unknown; read: WeakMap<object, Set<string>> } {
  const read = new WeakMap<object, Set<string>>();
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const existing = proxies.get(value);
    if (existing !== undefined) return existing;
    const seen = new Set<string>();
    read.set(value, seen);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') seen.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === 'string') seen.add(key);
        return Reflect.has(target, key);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return { proxy: wrap(root), read };
}

/**
 * Fields the official schema defines but the package's compiled schemas leave out: its generator drops
 * JSONSchemaProps' `description` and vendor `x-kubernetes-*` properties (a CRD's openAPIV3Schema).
 */
const PACKAGE_OMISSIONS = /\/schema\/openAPIV3Schema(\/.*)?\/(description|x-kubernetes-[a-z-]+)$/;

/** Unknown fields and nulls, walking the original object after the validator has read it. */
function strictFindings(
  value: unknown,
  path: string,
  read: WeakMap<object, Set<string>>,
  out: SchemaFinding[],
): void {
  if (value === null) {
    if (!NULL_ALLOWED.test(path))
      out.push({ path, problem: 'null: a real API server omits an empty field (omitempty)' });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => strictFindings(item, pointer(path, i), read, out));
    return;
  }
  if (!isRecord(value)) return;
  const seen = read.get(value);
  // An object the schema describes by properties has them all read; a free-form one (no properties) has none.
  const known = seen !== undefined && seen.size > 0 ? seen : undefined;
  for (const [key, child] of Object.entries(value)) {
    if (known !== undefined && !known.has(key) && !PACKAGE_OMISSIONS.test(pointer(path, key)))
      out.push({ path: pointer(path, key), problem: 'unknown field: the schema does not define it' });
    else strictFindings(child, pointer(path, key), read, out);
  }
}

/** Every way `object` departs from the schema: types, required fields, enums, unknown fields, nulls. */
export function validateStrictly(
  validate: CompiledValidate,
  object: unknown,
  basePath = '',
): SchemaFinding[] {
  const { proxy, read } = tracked(object);
  const findings: SchemaFinding[] = [];
  if (!validate(proxy))
    for (const error of validate.errors ?? [])
      findings.push({ path: `${basePath}${error.instancePath}`, problem: describeError(error) });
  const strict: SchemaFinding[] = [];
  strictFindings(object, '', read, strict);
  for (const f of strict) findings.push({ path: `${basePath}${f.path}`, problem: f.problem });
  return dedupe(findings);
}

function dedupe(findings: SchemaFinding[]): SchemaFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.path} ${f.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
