// Walks a running simulator as a client would, discovery first, then every listable resource in
// all namespaces (paged), and checks every item against its kind's schema: the official one for
// built-in kinds, the CRD's openAPIV3Schema for custom resources. Returns every finding at once.
import { withDeadline } from '../../../src/engine/deadline.js';
import { builtinValidator, objectMetaValidator } from './builtin.js';
import { type StructuralSchema, validateCustomResource } from './crd.js';
import { type SchemaFinding, validateStrictly } from './strict.js';

/** Groups the core OpenAPI does not describe, with why they are not checked here. */
export const SKIPPED_GROUPS: Readonly<Record<string, string>> = {
  'metrics.k8s.io':
    'the resource metrics API is served by metrics-server (an aggregated API), not described by the core OpenAPI',
};

export interface WalkResult {
  /** "kind namespace/name path: problem", one per finding. */
  failures: string[];
  /** How many objects were validated, by apiVersion/kind. */
  counts: Record<string, number>;
  /** group/version/resource → why it was not validated. */
  skipped: Record<string, string>;
}

interface ResourceEntry {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface Page {
  kind?: string;
  apiVersion?: string;
  metadata?: { continue?: string };
  items?: Array<Record<string, unknown>>;
}

const PAGE_SIZE = 250;
const MAX_PAGES = 40;

async function getJson<T>(base: string, path: string): Promise<T> {
  return withDeadline(10_000, async (signal) => {
    const res = await fetch(`${base}${path}`, { headers: { Accept: 'application/json' }, signal });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  });
}

async function groupVersions(base: string): Promise<string[]> {
  const core = await getJson<{ versions: string[] }>(base, '/api');
  const apis = await getJson<{ groups: Array<{ name: string; versions: Array<{ groupVersion: string }> }> }>(
    base,
    '/apis',
  );
  return [...core.versions, ...apis.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
}

/** Every item of a resource, page by page; `envelopes` gets each page's kind and apiVersion. */
async function listAll(
  base: string,
  prefix: string,
  resource: string,
  envelopes: Array<{ kind?: string; apiVersion?: string }> = [],
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `?limit=${PAGE_SIZE}${token === undefined ? '' : `&continue=${encodeURIComponent(token)}`}`;
    const body = await getJson<Page>(base, `${prefix}/${resource}${query}`);
    envelopes.push({
      ...(body.kind === undefined ? {} : { kind: body.kind }),
      ...(body.apiVersion === undefined ? {} : { apiVersion: body.apiVersion }),
    });
    items.push(...(body.items ?? []));
    token = body.metadata?.continue;
    if (token === undefined || token === '') return items;
  }
  throw new Error(`${prefix}/${resource}: more than ${MAX_PAGES} pages`);
}

interface CrdDoc {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; schema?: { openAPIV3Schema?: StructuralSchema } }>;
  };
}

/** apiVersion/kind → the CRD's schema for that version. */
async function crdSchemas(base: string): Promise<Map<string, StructuralSchema>> {
  const crds = await listAll(base, '/apis/apiextensions.k8s.io/v1', 'customresourcedefinitions');
  const schemas = new Map<string, StructuralSchema>();
  for (const crd of crds as unknown as CrdDoc[])
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (schema !== undefined)
        schemas.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, schema);
    }
  return schemas;
}

function label(item: Record<string, unknown>, kind: string): string {
  const meta = (item.metadata ?? {}) as { name?: string; namespace?: string };
  return `${kind} ${meta.namespace === undefined ? '' : `${meta.namespace}/`}${meta.name ?? '<no name>'}`;
}

/** Discovery, then every item of every listable resource, each validated against its kind's schema. */
export async function validateEverything(base: string): Promise<WalkResult> {
  const result: WalkResult = { failures: [], counts: {}, skipped: {} };
  const crds = await crdSchemas(base);
  const metaValidate = await objectMetaValidator();
  for (const groupVersion of await groupVersions(base)) {
    const group = groupVersion.includes('/') ? (groupVersion.split('/')[0] ?? '') : '';
    const prefix = group === '' ? `/api/${groupVersion}` : `/apis/${groupVersion}`;
    const skipReason = SKIPPED_GROUPS[group];
    const list = await getJson<{ resources: ResourceEntry[] }>(base, prefix);
    for (const resource of list.resources) {
      if (resource.name.includes('/') || !resource.verbs.includes('list')) continue;
      const where = `${groupVersion}/${resource.name}`;
      if (skipReason !== undefined) {
        result.skipped[where] = skipReason;
        continue;
      }
      const builtin = await builtinValidator(groupVersion, resource.kind);
      const custom = crds.get(`${groupVersion}/${resource.kind}`);
      const envelopes: Array<{ kind?: string; apiVersion?: string }> = [];
      const items = await listAll(base, prefix, resource.name, envelopes);
      const key = `${groupVersion}/${resource.kind}`;
      for (const page of envelopes)
        if (page.kind !== `${resource.kind}List` || page.apiVersion !== groupVersion)
          result.failures.push(
            `${resource.kind} list: served as ${page.apiVersion ?? '?'} ${page.kind ?? '?'}, not ${groupVersion} ${resource.kind}List`,
          );
      result.counts[key] = (result.counts[key] ?? 0) + items.length;
      if (builtin === undefined && custom === undefined) {
        if (items.length > 0)
          result.failures.push(`${resource.kind}: no schema for ${key}, neither built in nor a CRD`);
        continue;
      }
      for (const item of items) {
        // Items of a list may leave apiVersion and kind out (the list names them); the schema needs them.
        const object: Record<string, unknown> = { apiVersion: groupVersion, kind: resource.kind, ...item };
        const findings: SchemaFinding[] =
          builtin !== undefined
            ? validateStrictly(builtin, object)
            : [
                ...validateCustomResource(custom ?? {}, object),
                ...validateStrictly(metaValidate, object.metadata ?? {}, '/metadata'),
              ];
        for (const f of findings)
          result.failures.push(`${label(item, resource.kind)} ${f.path || '/'}: ${f.problem}`);
      }
    }
  }
  return result;
}
