// The PATCH content types: RFC 6902 JSON Patch, RFC 7386 merge patch, and Kubernetes strategic
// merge patch (merge patch plus lists merged by key for the well-known list fields).
import { errors } from './errors.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function clone<T>(v: T): T {
  return structuredClone(v);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value) as Json;
  }
  return out;
}

/** List fields whose items strategic merge patch merges by a key, as in the k8s.io/api struct tags. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
  taints: 'key',
  addresses: 'type',
};
/** Primitive lists that strategic merge patch merges as sets. */
const SET_LISTS = new Set(['finalizers']);

export function strategicMergePatch(target: unknown, patch: unknown, field?: string): unknown {
  if (Array.isArray(patch)) return mergeList(target, patch as Json[], field);
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const rest = clone(patch);
    delete rest.$patch;
    return rest;
  }
  if (patch.$patch === 'delete') return undefined;
  const out: JsonObject = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = strategicMergePatch(out[key], value, key);
    if (merged === undefined) delete out[key];
    else out[key] = merged as Json;
  }
  for (const [key, value] of Object.entries(patch)) {
    const m = /^\$deleteFromPrimitiveList\/(.+)$/.exec(key);
    if (m?.[1] !== undefined && Array.isArray(value) && Array.isArray(out[m[1]])) {
      out[m[1]] = (out[m[1]] as Json[]).filter((item) => !value.includes(item));
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    const m = /^\$setElementOrder\/(.+)$/.exec(key);
    const list = m?.[1] === undefined ? undefined : out[m[1]];
    if (m?.[1] !== undefined && Array.isArray(value) && Array.isArray(list))
      out[m[1]] = setElementOrder(list, value, MERGE_KEYS[m[1]]);
  }
  if (Array.isArray(patch.$retainKeys))
    for (const key of Object.keys(out)) if (!patch.$retainKeys.includes(key)) delete out[key];
  return out;
}

/**
 * `$setElementOrder/<list>`: items named in `order` come in that order; the others (the server's
 * own) keep their place relative to them, as k8s.io/apimachinery normalizeElementOrder does.
 */
function setElementOrder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const keyOf = (item: Json): string =>
    JSON.stringify(mergeKey !== undefined && isObject(item) ? item[mergeKey] : item);
  const wanted = order.map(keyOf);
  const indexed = list.map((item, index) => ({ item, index, rank: wanted.indexOf(keyOf(item)) }));
  const named = indexed.filter((e) => e.rank !== -1).sort((a, b) => a.rank - b.rank);
  const others = indexed.filter((e) => e.rank === -1);
  const out: Json[] = [];
  while (named.length > 0 || others.length > 0) {
    const next =
      others.length > 0 && (named.length === 0 || (others[0]?.index ?? 0) < (named[0]?.index ?? 0))
        ? others.shift()
        : named.shift();
    if (next !== undefined) out.push(next.item);
  }
  return out;
}

function mergeList(target: unknown, patch: Json[], field: string | undefined): unknown {
  const base = Array.isArray(target) ? (clone(target) as Json[]) : [];
  if (field !== undefined && SET_LISTS.has(field)) {
    const out = [...base];
    for (const item of patch) if (!out.includes(item)) out.push(item);
    return out;
  }
  const mergeKey = field === undefined ? undefined : MERGE_KEYS[field];
  if (mergeKey === undefined || !patch.every(isObject)) return clone(patch);
  const out = [...base];
  for (const item of patch) {
    const keyValue = item[mergeKey];
    const index = out.findIndex((existing) => isObject(existing) && existing[mergeKey] === keyValue);
    if (item.$patch === 'delete') {
      if (index !== -1) out.splice(index, 1);
      continue;
    }
    if (index === -1) out.push(strategicMergePatch(undefined, item) as Json);
    else out[index] = strategicMergePatch(out[index], item) as Json;
  }
  return out;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw errors.badRequest(`invalid JSON pointer: ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(
  doc: Json,
  tokens: string[],
  pointer: string,
): { parent: JsonObject | Json[]; last: string } {
  let current: Json = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)] as Json;
    else if (isObject(current)) current = current[token] as Json;
    else current = undefined as unknown as Json;
    if (current === undefined) throw errors.invalidPatch(`doc is missing path: "${pointer}": missing value`);
  }
  const last = tokens[tokens.length - 1];
  if (last === undefined || current === null || typeof current !== 'object')
    throw errors.invalidPatch(`doc is missing path: "${pointer}": missing value`);
  return { parent: current, last };
}

function getAt(doc: Json, pointer: string): Json {
  let current: Json = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[Number(token)] as Json;
    else if (isObject(current)) current = current[token] as Json;
    else current = undefined as unknown as Json;
    if (current === undefined) throw errors.invalidPatch(`doc is missing path: "${pointer}": missing value`);
  }
  return current;
}

function removeAt(doc: Json, pointer: string): Json {
  const { parent, last } = parentOf(doc, parsePointer(pointer), pointer);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length))
      throw errors.invalidPatch(`doc is missing path: "${pointer}": missing value`);
    return parent.splice(index, 1)[0] as Json;
  }
  if (!(last in parent)) throw errors.invalidPatch(`doc is missing path: "${pointer}": missing value`);
  const value = parent[last] as Json;
  delete parent[last];
  return value;
}

function addAt(doc: Json, pointer: string, value: Json, replace: boolean): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return clone(value);
  const { parent, last } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!(index >= 0 && index <= parent.length))
      throw errors.invalidPatch(`doc is missing path: "${pointer}": missing value`);
    if (replace) parent[index] = clone(value);
    else parent.splice(index, 0, clone(value));
  } else {
    if (replace && !(last in parent))
      throw errors.invalidPatch(`doc is missing path: "${pointer}": missing value`);
    parent[last] = clone(value);
  }
  return doc;
}

export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw errors.badRequest('json patch must be a list of operations');
  let doc = clone(target) as Json;
  for (const raw of operations as Operation[]) {
    switch (raw.op) {
      case 'add':
        doc = addAt(doc, raw.path, raw.value ?? null, false);
        break;
      case 'replace':
        doc = addAt(doc, raw.path, raw.value ?? null, true);
        break;
      case 'remove':
        removeAt(doc, raw.path);
        break;
      case 'move': {
        const value = removeAt(doc, raw.from ?? '');
        doc = addAt(doc, raw.path, value, false);
        break;
      }
      case 'copy':
        doc = addAt(doc, raw.path, getAt(doc, raw.from ?? ''), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value))
          throw errors.invalidPatch(`testing value ${raw.path} failed: test failed`);
        break;
      default:
        throw errors.badRequest(`Unexpected kind: ${String(raw.op)}`);
    }
  }
  return doc;
}
