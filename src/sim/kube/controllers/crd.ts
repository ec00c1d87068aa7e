// The apiextensions controller: an applied CustomResourceDefinition is established at once and
// its kinds are served as it says (group, versions, scope, names); deleting it deletes its
// custom resources and stops serving them. Custom resources have no behaviour.
import type { KubeObject } from '../../world.js';
import type { ResourceDef } from '../registry.js';
import { mustFindByKind, serveCustomResources, stopServingCustomResources } from '../registry.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, isDef } from './runtime.js';

interface CrdSpec {
  group?: string;
  scope?: 'Namespaced' | 'Cluster';
  names?: { plural?: string; singular?: string; kind?: string; shortNames?: string[]; categories?: string[] };
  versions?: Array<{
    name?: string;
    served?: boolean;
    storage?: boolean;
    subresources?: { status?: unknown; scale?: unknown };
  }>;
}

/** One ResourceDef per served version, storage version first (discovery's preferred version). */
export function customResourceDefs(crd: KubeObject): ResourceDef[] {
  const spec = (crd.spec ?? {}) as CrdSpec;
  const names = spec.names ?? {};
  const kind = names.kind ?? '';
  const versions = [...(spec.versions ?? [])]
    .filter((v) => v.served !== false && typeof v.name === 'string')
    .sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
  return versions.map((v) => {
    const def: ResourceDef = {
      group: spec.group ?? '',
      version: v.name ?? '',
      plural: names.plural ?? '',
      singular: names.singular ?? kind.toLowerCase(),
      kind,
      namespaced: spec.scope !== 'Cluster',
      subresources: v.subresources?.status !== undefined ? ['status'] : [],
      generation: true,
      allowUnconditionalUpdate: false,
    };
    if (v.subresources?.status !== undefined) def.statusSubresource = true;
    if (names.shortNames !== undefined) def.shortNames = names.shortNames;
    if (names.categories !== undefined) def.categories = names.categories;
    return def;
  });
}

export function createCrdController(ctx: ControllerContext): Controller {
  const { api } = ctx;
  const crdDef = mustFindByKind('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  const servedDefs = new Map<string, ResourceDef[]>();

  const reconcile = (name: string): void => {
    const crd = api.store.get(crdDef, undefined, name);
    if (crd === undefined) {
      for (const def of servedDefs.get(name)?.slice(0, 1) ?? [])
        for (const object of api.store.list(def))
          api.store.remove(def, object.metadata.namespace, object.metadata.name);
      servedDefs.delete(name);
      stopServingCustomResources(name);
      return;
    }
    const defs = customResourceDefs(crd);
    servedDefs.set(name, defs);
    serveCustomResources(name, defs);
    const spec = (crd.spec ?? {}) as CrdSpec;
    const now = api.now();
    const condition = (type: string, reason: string, message: string): Record<string, unknown> => ({
      type,
      status: 'True',
      lastTransitionTime: now,
      reason,
      message,
    });
    api.mutate(
      crdDef,
      undefined,
      name,
      (o) => {
        const s = (o.status ?? {}) as Record<string, unknown>;
        const kept = (s.conditions ?? []) as Array<{ type: string }>;
        s.conditions = [
          kept.find((c) => c.type === 'NamesAccepted') ??
            condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
          kept.find((c) => c.type === 'Established') ??
            condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
        ];
        s.acceptedNames = { ...spec.names };
        s.storedVersions = (spec.versions ?? []).filter((v) => v.storage === true).map((v) => v.name);
        o.status = s;
      },
      { subresource: 'status' },
    );
  };

  const queue = createWorkQueue(ctx, 'crd', reconcile);
  return {
    name: 'crd',
    onStoreEvent(event) {
      if (isDef(event, crdDef)) {
        // Serve at once (synchronously) so a kubectl apply right after the CRD's finds its kinds.
        if (event.type !== 'DELETED')
          serveCustomResources(event.object.metadata.name, customResourceDefs(event.object));
        queue.add(event.object.metadata.name);
      }
    },
  };
}
