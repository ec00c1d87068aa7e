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
  /** As `list`, without copying: read-only, for controllers and handlers that only look. */
  view(def: ResourceDef, namespace?: string): ReadonlyArray<Readonly<KubeObject>>;
  /** As `get`, without copying: read-only. */
  peek(def: ResourceDef, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined;
  /** Writes a new object; sets metadata.resourceVersion. */
  add(def: ResourceDef, object: KubeObject): KubeObject;
  /** Adds or replaces, keeping a copy and handing none back: for loading many objects at once. */
  put(def: ResourceDef, object: KubeObject): void;
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
  /** Each table's keys in list order, for `view`; dropped when a key comes or goes. */
  const sortedKeys = new WeakMap<Map<string, KubeObject>, string[]>();
  /** Where `key` is, or would go, in sorted `keys`. */
  const bisect = (keys: readonly string[], key: string): number => {
    let low = 0;
    let high = keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((keys[middle] ?? '') < key) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  /** Keeps a table's sorted keys up to date as a key comes (or goes), instead of sorting again. */
  const rekey = (objects: Map<string, KubeObject>, key: string, added: boolean): void => {
    const keys = sortedKeys.get(objects);
    if (keys === undefined) return;
    const at = bisect(keys, key);
    if (added) keys.splice(at, 0, key);
    else if (keys[at] === key) keys.splice(at, 1);
  };

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

  /** Writes a copy of `object` and returns that copy: the table's own, never to be changed. */
  const keep = (def: ResourceDef, object: KubeObject, type: WatchEventType): KubeObject => {
    const objects = table(def);
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    const previous = objects.get(key);
    if (previous === undefined) rekey(objects, key, true);
    rv += 1;
    const stored = structuredClone(object);
    stored.metadata.resourceVersion = String(rv);
    objects.set(key, stored);
    // Stored objects are never changed in place (a write stores a new copy), so the event, the
    // history and the table can share one: a cluster of thousands of pods is held once, not twice.
    const event: StoreEvent = { rv, type, def, object: stored };
    if (previous !== undefined) event.previous = previous;
    emit(event);
    return stored;
  };

  const write = (def: ResourceDef, object: KubeObject, type: WatchEventType): KubeObject =>
    structuredClone(keep(def, object, type));

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
    peek: (def, namespace, name) => table(def).get(objectKey(def.namespaced ? namespace : undefined, name)),
    view: (def, namespace) => {
      const objects = table(def);
      let keys = sortedKeys.get(objects);
      if (keys === undefined) {
        keys = [...objects.keys()].sort();
        sortedKeys.set(objects, keys);
      }
      const scoped = namespace !== undefined && def.namespaced;
      // Keys are "<namespace>/<name>", sorted: one namespace is one run of them, found by bisection.
      const prefix = scoped ? `${namespace}/` : '';
      const out: KubeObject[] = [];
      for (let i = bisect(keys, prefix); i < keys.length; i++) {
        const key = keys[i] ?? '';
        if (scoped && !key.startsWith(prefix)) break;
        const object = objects.get(key);
        if (object !== undefined) out.push(object);
      }
      return out;
    },
    put: (def, object) => {
      const key = objectKey(object.metadata.namespace, object.metadata.name);
      keep(def, object, table(def).has(key) ? 'MODIFIED' : 'ADDED');
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
      rekey(objects, key, false);
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
