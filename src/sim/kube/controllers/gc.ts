// The garbage collector (dependents of a deleted owner go: background, foreground, orphan) and
// the namespace controller (a deleted namespace empties, then goes).
import type { KubeObject } from '../../world.js';
import { blockingFinalizers } from '../api.js';
import { removeFinalizer } from '../defaults.js';
import type { ResourceDef } from '../registry.js';
import { RESOURCES } from '../registry.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef } from './runtime.js';

export function createGarbageCollector(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const dependentsOf = (uid: string): Array<{ def: ResourceDef; object: KubeObject }> =>
    api.store
      .all()
      .filter(({ object }) => (object.metadata.ownerReferences ?? []).some((o) => o.uid === uid));

  const alive = (uid: string): boolean => api.store.all().some(({ object }) => object.metadata.uid === uid);

  const reconcileOwner = (uid: string): void => {
    const owner = api.store.all().find(({ object }) => object.metadata.uid === uid);
    const dependents = dependentsOf(uid);
    if (owner === undefined) {
      // Background: dependents whose owners are all gone are deleted; others just lose the reference.
      for (const { def, object } of dependents) {
        const others = (object.metadata.ownerReferences ?? []).filter((o) => o.uid !== uid);
        if (others.some((o) => alive(o.uid)))
          api.mutate(def, object.metadata.namespace, object.metadata.name, (o) => {
            o.metadata.ownerReferences = others;
          });
        else if (object.metadata.deletionTimestamp === undefined)
          api.delete(def, object.metadata.namespace, object.metadata.name, {
            propagationPolicy: 'Background',
          });
      }
      return;
    }
    const { def, object } = owner;
    if (object.metadata.deletionTimestamp === undefined) return;
    const finalizers = object.metadata.finalizers ?? [];
    if (finalizers.includes('orphan')) {
      for (const d of dependents)
        api.mutate(d.def, d.object.metadata.namespace, d.object.metadata.name, (o) => {
          o.metadata.ownerReferences = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (o.metadata.ownerReferences.length === 0) delete o.metadata.ownerReferences;
        });
      api.mutate(def, object.metadata.namespace, object.metadata.name, (o) => {
        removeFinalizer(o, 'orphan');
      });
      return;
    }
    if (finalizers.includes('foregroundDeletion')) {
      for (const d of dependents)
        if (d.object.metadata.deletionTimestamp === undefined)
          api.delete(d.def, d.object.metadata.namespace, d.object.metadata.name, {
            propagationPolicy: 'Foreground',
          });
      if (dependents.length === 0)
        api.mutate(def, object.metadata.namespace, object.metadata.name, (o) => {
          removeFinalizer(o, 'foregroundDeletion');
        });
    }
  };

  const reconcileNamespace = (name: string): void => {
    const ns = api.store.get(defs.namespace, undefined, name);
    if (ns === undefined || ns.metadata.deletionTimestamp === undefined) return;
    let remaining = 0;
    for (const def of RESOURCES) {
      if (!def.namespaced) continue;
      for (const object of api.store.list(def, name)) {
        remaining += 1;
        if (object.metadata.deletionTimestamp === undefined)
          api.delete(def, name, object.metadata.name, { propagationPolicy: 'Background' });
      }
    }
    if (remaining === 0 && blockingFinalizers(defs.namespace, ns).length > 0)
      api.mutate(
        defs.namespace,
        undefined,
        name,
        (o) => {
          (o.spec as { finalizers?: string[] }).finalizers = [];
        },
        { subresource: 'all' },
      );
  };

  const queue = createWorkQueue(ctx, 'gc', (key) => {
    if (key.startsWith('ns:')) reconcileNamespace(key.slice(3));
    else reconcileOwner(key.slice(4));
  });

  return {
    name: 'gc',
    onStoreEvent(event) {
      const uid = event.object.metadata.uid;
      if (
        uid !== undefined &&
        (event.type === 'DELETED' || event.object.metadata.deletionTimestamp !== undefined)
      )
        queue.add(`uid:${uid}`);
      if (event.type === 'DELETED')
        for (const owner of event.object.metadata.ownerReferences ?? []) queue.add(`uid:${owner.uid}`);
      if (isDef(event, defs.namespace) && event.type !== 'DELETED')
        queue.add(`ns:${event.object.metadata.name}`);
      const ns = event.object.metadata.namespace;
      if (event.type === 'DELETED' && ns !== undefined) queue.add(`ns:${ns}`);
    },
  };
}
