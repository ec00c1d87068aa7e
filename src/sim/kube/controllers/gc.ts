// The garbage collector (dependents of a deleted owner go: background, foreground, orphan) and
// the namespace controller (a deleted namespace empties, then goes).
import type { KubeObject } from '../../world.js';
import { blockingFinalizers } from '../api.js';
import { removeFinalizer } from '../defaults.js';
import type { ResourceDef } from '../registry.js';
import type { StoreEvent } from '../store.js';
import { served } from '../registry.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef } from './runtime.js';

export function createGarbageCollector(ctx: ControllerContext): Controller {
  const { api } = ctx;

  // Every object by uid, and every owner's dependents by uid, kept from the store's events: a
  // lookup instead of a scan of every object in the cluster for each deletion.
  const byUid = new Map<string, { def: ResourceDef; namespace: string | undefined; name: string }>();
  const owned = new Map<string, Set<string>>();
  const unlink = (object: Readonly<KubeObject> | undefined): void => {
    for (const o of object?.metadata.ownerReferences ?? []) {
      const children = owned.get(o.uid);
      children?.delete(object?.metadata.uid ?? '');
      if (children?.size === 0) owned.delete(o.uid);
    }
  };
  const index = (event: StoreEvent): void => {
    const uid = event.object.metadata.uid;
    unlink(event.previous);
    if (event.type === 'DELETED') {
      unlink(event.object);
      if (uid !== undefined && byUid.get(uid)?.name === event.object.metadata.name) byUid.delete(uid);
      return;
    }
    if (uid === undefined) return;
    byUid.set(uid, {
      def: event.def,
      namespace: event.object.metadata.namespace,
      name: event.object.metadata.name,
    });
    for (const o of event.object.metadata.ownerReferences ?? []) {
      const children = owned.get(o.uid) ?? new Set<string>();
      children.add(uid);
      owned.set(o.uid, children);
    }
  };

  const withUid = (uid: string): { def: ResourceDef; object: KubeObject } | undefined => {
    const at = byUid.get(uid);
    const object = at === undefined ? undefined : api.store.peek(at.def, at.namespace, at.name);
    return at === undefined || object?.metadata.uid !== uid ? undefined : { def: at.def, object };
  };

  const dependentsOf = (uid: string): Array<{ def: ResourceDef; object: KubeObject }> =>
    [...(owned.get(uid) ?? [])].flatMap((child) => withUid(child) ?? []);

  const alive = (uid: string): boolean => withUid(uid) !== undefined;

  const reconcileOwner = (uid: string): void => {
    const owner = withUid(uid);
    // An owner alive and not being deleted: nothing to collect (most of the work, on a big cluster).
    if (owner !== undefined && owner.object.metadata.deletionTimestamp === undefined) return;
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
    for (const def of served()) {
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
      index(event);
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
