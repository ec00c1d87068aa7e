// Discovery documents (/api, /apis, /api/v1, /apis/{g}/{v}, aggregated v2), /version and a
// minimal /openapi/v3, generated from the resource table so kubectl resolves kinds and subresources.
import type { ResourceDef } from './registry.js';
import { DEFAULT_VERBS, groups, served } from './registry.js';

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.5',
  gitCommit: '9894294ef13a5b32803e3ca2c0d620a088cc84d1',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T09:13:34Z',
  goVersion: 'go1.23.8',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const SUBRESOURCE_KINDS: Record<string, { group: string; version: string; kind: string; verbs: string[] }> = {
  scale: { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
  eviction: { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
  binding: { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] },
};

function resourcesIn(group: string, version: string): ResourceDef[] {
  return served().filter((r) => r.group === group && r.version === version);
}

function legacyEntries(def: ResourceDef): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = {
    name: def.plural,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: def.verbs ?? DEFAULT_VERBS,
  };
  if (def.shortNames !== undefined) main.shortNames = def.shortNames;
  if (def.categories !== undefined) main.categories = def.categories;
  const subs = def.subresources.map((sub) => {
    const special = SUBRESOURCE_KINDS[sub];
    const entry: Record<string, unknown> = {
      name: `${def.plural}/${sub}`,
      singularName: '',
      namespaced: def.namespaced,
      kind: special?.kind ?? def.kind,
      verbs: special?.verbs ?? ['get', 'patch', 'update'],
    };
    if (special !== undefined && (special.group !== def.group || special.version !== def.version)) {
      entry.group = special.group;
      entry.version = special.version;
    }
    return entry;
  });
  return [main, ...subs];
}

export function apiVersions(host: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
  };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: gvs, preferredVersion: gvs[0] };
}

export function apiGroupList(): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups().map((g) => groupEntry(g.group, g.versions)),
  };
}

export function apiGroup(group: string): unknown {
  const found = groups().find((g) => g.group === group);
  if (found === undefined) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(found.group, found.versions) };
}

export function apiResourceList(group: string, version: string): unknown {
  const defs = resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group === '' ? version : `${group}/${version}`,
    resources: defs.flatMap(legacyEntries),
  };
}

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function aggregatedResource(def: ResourceDef): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: def.plural,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singular,
    verbs: def.verbs ?? DEFAULT_VERBS,
  };
  if (def.shortNames !== undefined) entry.shortNames = def.shortNames;
  if (def.categories !== undefined) entry.categories = def.categories;
  if (def.subresources.length > 0)
    entry.subresources = def.subresources.map((sub) => {
      const special = SUBRESOURCE_KINDS[sub];
      return {
        subresource: sub,
        responseKind: special
          ? { group: special.group, version: special.version, kind: special.kind }
          : { group: def.group, version: def.version, kind: def.kind },
        verbs: special?.verbs ?? ['get', 'patch', 'update'],
      };
    });
  return entry;
}

/** Aggregated discovery (apidiscovery.k8s.io/v2) for /api (core) or /apis (groups). */
export function aggregatedDiscovery(core: boolean): unknown {
  const list = core ? [{ group: '', versions: ['v1'] }] : groups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: list.map((g) => ({
      metadata: g.group === '' ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: g.versions.map((version) => ({
        version,
        resources: resourcesIn(g.group, version).map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}

/** True when the Accept header asks for aggregated discovery v2. */
export function wantsAggregated(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return (
      params.includes('g=apidiscovery.k8s.io') &&
      params.includes('v=v2') &&
      params.includes('as=APIGroupDiscoveryList')
    );
  });
}

/** /openapi/v3: one entry per group/version, each pointing at a stub document. */
export function openapiRoot(): unknown {
  const paths: Record<string, unknown> = {
    'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=SIM' },
  };
  for (const g of groups())
    for (const version of g.versions)
      paths[`apis/${g.group}/${version}`] = {
        serverRelativeURL: `/openapi/v3/apis/${g.group}/${version}?hash=SIM`,
      };
  return { paths };
}

/** A stub group/version document: enough for kubectl's fieldValidation probe (spec §1.5). */
export function openapiGroupVersion(group: string, version: string): unknown {
  const defs = resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  const paths: Record<string, unknown> = {};
  for (const def of defs) {
    const prefix = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
    const path = def.namespaced
      ? `${prefix}/namespaces/{namespace}/${def.plural}/{name}`
      : `${prefix}/${def.plural}/{name}`;
    const gvk = { group, version, kind: def.kind };
    if (def.review === true) {
      paths[`${prefix}/${def.plural}`] = {
        post: {
          'x-kubernetes-group-version-kind': gvk,
          'x-kubernetes-action': 'post',
          parameters: [
            { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          ],
          responses: { '201': { description: 'Created' } },
        },
      };
      continue;
    }
    paths[path] = {
      patch: {
        'x-kubernetes-group-version-kind': gvk,
        'x-kubernetes-action': 'patch',
        parameters: [
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: VERSION_INFO.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
