// The object store: every object of every resource, one global resourceVersion counter, and a
// bounded event history so watches can resume from a resourceVersion (or learn it has expired).
import type { KubeObject } from '../world.js';
import type { ResourceDef } from './registry.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: WatchEventType;
  def: ResourceDef;
  object: KubeObject;
  /** The object before this change (MODIFIED and DELETED). */
  previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export function resourceKey(def: ResourceDef): string {
  return `${def.group}/${def.plural}`;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export interface Store {
  /** The current (latest written) resourceVersion. */
  currentRv(): number;
  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Objects sorted by namespace then name; all namespaces when `namespace` is undefined. */
  list(def: ResourceDef, namespace?: string): KubeObject[];
  /** Writes a new object; sets metadata.resourceVersion. */
  add(def: ResourceDef, object: KubeObject): KubeObject;
  /** Replaces an existing object; sets metadata.resourceVersion. */
  replace(def: ResourceDef, object: KubeObject): KubeObject;
  /** Removes an object; the DELETED event carries it with a new resourceVersion. */
  remove(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined;
  subscribe(listener: StoreListener): () => void;
  /** Events of `def` after `rv`, or 'expired' when the history no longer reaches back that far. */
  since(def: ResourceDef, rv: number): StoreEvent[] | 'expired';
  /** The oldest resourceVersion a watch can still resume from. */
  oldestRv(): number;
  /** Every object of every resource without copying: read-only, for controllers that scan. */
  scan(): Iterable<{ def: ResourceDef; object: Readonly<KubeObject> }>;
  /** Every object of every resource, for snapshots. */
  all(): Array<{ def: ResourceDef; object: KubeObject }>;
}

export function createStore(options: { historyLimit?: number } = {}): Store {
  const limit = options.historyLimit ?? 10_000;
  const tables = new Map<string, { def: ResourceDef; objects: Map<string, KubeObject> }>();
  const listeners = new Set<StoreListener>();
  let history: StoreEvent[] = [];
  /** Highest rv no longer in the history. */
  let compactedRv = 0;
  let rv = 0;

  const table = (def: ResourceDef): Map<string, KubeObject> => {
    const key = resourceKey(def);
    let t = tables.get(key);
    if (t === undefined) {
      t = { def, objects: new Map() };
      tables.set(key, t);
    }
    return t.objects;
  };

  const emit = (event: StoreEvent): void => {
    history.push(event);
    if (history.length > limit) {
      const drop = history.length - limit;
      compactedRv = history[drop - 1]?.rv ?? compactedRv;
      history = history.slice(drop);
    }
    for (const listener of [...listeners]) listener(event);
  };

  const write = (def: ResourceDef, object: KubeObject, type: WatchEventType): KubeObject => {
    const objects = table(def);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const previous = objects.get(key);
    rv += 1;
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(rv);
    objects.set(key, stored);
    const event: StoreEvent = { rv, type, def, object: structuredClone(stored) };
    if (previous !== undefined) event.previous = structuredClone(previous);
    emit(event);
    return structuredClone(stored);
  };

  return {
    currentRv: () => rv,
    get: (def, namespace, name) => {
      const found = table(def).get(objectKey(def.namespaced ? namespace : undefined, name));
      return found === undefined ? undefined : structuredClone(found);
    },
    list: (def, namespace) => {
      const out: KubeObject[] = [];
      for (const object of table(def).values()) {
        if (namespace !== undefined && def.namespaced && object.metadata.namespace !== namespace) continue;
        out.push(structuredClone(object));
      }
      return out.sort((a, b) =>
        objectKey(a.metadata.namespace, a.metadata.name) < objectKey(b.metadata.namespace, b.metadata.name)
          ? -1
          : 1,
      );
    },
    add: (def, object) => {
      const key = objectKey(object.metadata.namespace, object.metadata.name);
      if (table(def).has(key)) throw new Error(`store: ${resourceKey(def)} ${key} exists`);
      return write(def, object, 'ADDED');
    },
    replace: (def, object) => {
      const key = objectKey(object.metadata.namespace, object.metadata.name);
      if (!table(def).has(key)) throw new Error(`store: ${resourceKey(def)} ${key} missing`);
      return write(def, object, 'MODIFIED');
    },
    remove: (def, namespace, name) => {
      const objects = table(def);
      const key = objectKey(def.namespaced ? namespace : undefined, name);
      const previous = objects.get(key);
      if (previous === undefined) return undefined;
      objects.delete(key);
      rv += 1;
      const final = structuredClone(previous);
      final.metadata.resourceVersion = String(rv);
      emit({ rv, type: 'DELETED', def, object: structuredClone(final), previous });
      return final;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    since: (def, from) => {
      if (from < compactedRv) return 'expired';
      const key = resourceKey(def);
      return history.filter((e) => e.rv > from && resourceKey(e.def) === key);
    },
    oldestRv: () => compactedRv + 1,
    *scan() {
      for (const { def, objects } of tables.values())
        for (const object of objects.values()) yield { def, object };
    },
    all: () => {
      const out: Array<{ def: ResourceDef; object: KubeObject }> = [];
      for (const { def, objects } of tables.values())
        for (const object of objects.values()) out.push({ def, object: structuredClone(object) });
      return out;
    },
  };
}
