// The API server's object semantics shared by HTTP, scenario loading and controllers: create,
// update, patch, delete (graceful, finalizers, propagation), status and scale subresources, dry run.
import type { SimClock } from '../clock.js';
import type { KubeObject } from '../world.js';
import { addFinalizer, defaultOnCreate, foldStringData, validate } from './defaults.js';
import { ApiError, errors } from './errors.js';
import { formatTime, type IdSource } from './ids.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { omitNullFields } from './omitempty.js';
import type { ResourceDef } from './registry.js';
import { apiVersionOf, mustFindByKind } from './registry.js';
import { selectorString } from './selectors.js';
import type { Store } from './store.js';

export interface WriteOptions {
  dryRun?: boolean;
  /** 'status' writes only status; 'all' (controllers only) writes spec, metadata and status at once. */
  subresource?: 'status' | 'all';
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface Api {
  readonly store: Store;
  readonly clock: SimClock;
  now(): string;
  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject;
  create(
    def: ResourceDef,
    namespace: string | undefined,
    body: KubeObject,
    options?: WriteOptions,
  ): KubeObject;
  update(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options?: WriteOptions,
  ): KubeObject;
  patch(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    options?: WriteOptions,
  ): { object: KubeObject; created: boolean };
  /** Returns the object as the DELETE response shows it, and whether it is gone. */
  delete(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): { object: KubeObject; gone: boolean };
  getScale(def: ResourceDef, namespace: string | undefined, name: string): KubeObject;
  updateScale(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    change: (scale: KubeObject) => KubeObject,
    options?: WriteOptions,
  ): KubeObject;
  /** Controller helper: read-modify-write, skipping the write when nothing changed; undefined if gone. */
  mutate(
    def: ResourceDef,
    namespace: string | undefined,
    name: string,
    fn: (object: KubeObject) => void,
    options?: WriteOptions,
  ): KubeObject | undefined;
}

const SYSTEM_META = [
  'uid',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'generation',
];

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Finalizers that keep a deleting object: metadata.finalizers, and a Namespace's spec.finalizers. */
export function blockingFinalizers(def: ResourceDef, object: KubeObject): string[] {
  const own = object.metadata.finalizers ?? [];
  if (def.kind !== 'Namespace') return own;
  return [...own, ...((object.spec as { finalizers?: string[] } | undefined)?.finalizers ?? [])];
}

function toObject(value: unknown, what: string): KubeObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw errors.badRequest(`${what}: the body of the request must be a JSON object`);
  const object = value as KubeObject;
  if (object.metadata === null || typeof object.metadata !== 'object')
    (object as { metadata: unknown }).metadata = {};
  return object;
}

export function createApi(store: Store, clock: SimClock, ids: IdSource): Api {
  let clusterIps = 0;
  const allocateClusterIp = (): string => {
    clusterIps += 1;
    return `10.128.${Math.floor(clusterIps / 250)}.${(clusterIps % 250) + 2}`;
  };
  const now = (): string => formatTime(clock.now());
  const namespaceDef = mustFindByKind('v1', 'Namespace');

  const checkKind = (def: ResourceDef, object: KubeObject): void => {
    const apiVersion = object.apiVersion as string | undefined;
    const kind = object.kind as string | undefined;
    if (
      (kind !== undefined && kind !== def.kind) ||
      (apiVersion !== undefined && apiVersion !== apiVersionOf(def))
    )
      throw errors.badRequest(
        `the API version in the data (${apiVersion ?? ''}) does not match the expected API version (${apiVersionOf(def)})`,
      );
    object.apiVersion = apiVersionOf(def);
    object.kind = def.kind;
  };

  const finishWrite = (
    def: ResourceDef,
    next: KubeObject,
    existing: KubeObject,
    dryRun: boolean,
  ): KubeObject => {
    if (same(next, existing)) return existing;
    if (dryRun) return next;
    const deleting = next.metadata.deletionTimestamp !== undefined;
    const finalizers = blockingFinalizers(def, next);
    if (deleting && finalizers.length === 0 && def.kind !== 'Pod') {
      store.replace(def, next);
      return store.remove(def, next.metadata.namespace, next.metadata.name) ?? next;
    }
    if (deleting && finalizers.length === 0 && next.metadata.deletionGracePeriodSeconds === 0) {
      store.replace(def, next);
      return store.remove(def, next.metadata.namespace, next.metadata.name) ?? next;
    }
    return store.replace(def, next);
  };

  const api: Api = {
    store,
    clock,
    now,
    get(def, namespace, name) {
      const found = store.get(def, namespace, name);
      if (found === undefined) throw errors.notFound(def, name);
      return found;
    },

    create(def, namespace, raw, options = {}) {
      const body = structuredClone(toObject(raw, 'create'));
      omitNullFields(def, body);
      checkKind(def, body);
      const meta = body.metadata;
      if (def.namespaced) {
        if (meta.namespace !== undefined && namespace !== undefined && meta.namespace !== namespace)
          throw errors.badRequest(
            'the namespace of the provided object does not match the namespace sent on the request',
          );
        const ns = namespace ?? meta.namespace ?? 'default';
        meta.namespace = ns;
        const nsObject = store.get(namespaceDef, undefined, ns);
        if (nsObject === undefined) throw errors.notFound(namespaceDef, ns);
        if (nsObject.metadata.deletionTimestamp !== undefined)
          throw errors.forbiddenNamespaceTerminating(def, meta.name ?? '', ns);
      } else delete meta.namespace;
      if ((meta.name === undefined || meta.name === '') && typeof meta.generateName === 'string')
        meta.name = `${meta.generateName}${ids.suffix()}`;
      if (typeof meta.name !== 'string' || meta.name === '')
        throw errors.invalid(def, '', [
          { type: 'FieldValueRequired', message: 'name or generateName is required', field: 'metadata.name' },
        ]);
      validate(def, body);
      foldStringData(body);
      if (store.get(def, meta.namespace, meta.name) !== undefined) throw errors.alreadyExists(def, meta.name);
      delete meta.resourceVersion;
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
      meta.uid = ids.uid();
      meta.creationTimestamp = now();
      if (def.generation) meta.generation = 1;
      else delete meta.generation;
      defaultOnCreate(def, body, allocateClusterIp);
      if (options.dryRun) return body;
      return store.add(def, body);
    },

    update(def, namespace, name, raw, options = {}) {
      const body = structuredClone(toObject(raw, 'update'));
      omitNullFields(def, body);
      checkKind(def, body);
      const existing = api.get(def, namespace, name);
      if (body.metadata.name !== undefined && body.metadata.name !== name)
        throw errors.badRequest(
          `the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`,
        );
      const rv = body.metadata.resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== existing.metadata.resourceVersion)
        throw errors.conflict(def, name);
      if ((rv === undefined || rv === '') && !def.allowUnconditionalUpdate)
        throw errors.invalid(def, name, [
          {
            type: 'FieldValueInvalid',
            message: 'Invalid value: 0x0: must be specified for an update',
            field: 'metadata.resourceVersion',
          },
        ]);
      let next: KubeObject;
      if (options.subresource === 'status') {
        next = structuredClone(existing);
        if (body.status === undefined) delete next.status;
        else next.status = body.status;
      } else {
        next = body;
        next.metadata.name = name;
        if (def.namespaced) next.metadata.namespace = existing.metadata.namespace;
        else delete next.metadata.namespace;
        for (const key of SYSTEM_META) {
          const value = existing.metadata[key];
          if (value === undefined) delete next.metadata[key];
          else next.metadata[key] = value;
        }
        if (def.statusSubresource && options.subresource !== 'all') {
          if (existing.status === undefined) delete next.status;
          else next.status = existing.status;
        }
        if (def.generation && !same(existing.spec, next.spec))
          next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
        // A deleting object may lose finalizers but never gain new ones.
        if (existing.metadata.deletionTimestamp !== undefined) {
          const allowed = existing.metadata.finalizers ?? [];
          const kept = (next.metadata.finalizers ?? []).filter((f) => allowed.includes(f));
          if (kept.length === 0) delete next.metadata.finalizers;
          else next.metadata.finalizers = kept;
        }
      }
      next.metadata.resourceVersion = existing.metadata.resourceVersion;
      validate(def, next);
      foldStringData(next);
      return finishWrite(def, next, existing, options.dryRun === true);
    },

    patch(def, namespace, name, type, patch, options = {}) {
      const existing = store.get(def, namespace, name);
      if (existing === undefined) {
        if (type !== 'apply') throw errors.notFound(def, name);
        const body = toObject(patch, 'apply');
        body.metadata.name ??= name;
        return { object: api.create(def, namespace, body, options), created: true };
      }
      const patched = applyPatch(existing, type, patch);
      const next = toObject(patched, 'patch');
      const rv = next.metadata.resourceVersion;
      if (rv !== undefined && rv !== existing.metadata.resourceVersion) throw errors.conflict(def, name);
      next.metadata.resourceVersion = existing.metadata.resourceVersion;
      return { object: api.update(def, namespace, name, next, options), created: false };
    },

    delete(def, namespace, name, options = {}) {
      const existing = api.get(def, namespace, name);
      const pre = options.preconditions;
      if (pre?.uid !== undefined && pre.uid !== existing.metadata.uid)
        throw errors.conflict(
          def,
          name,
          `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid ?? ''}`,
        );
      if (pre?.resourceVersion !== undefined && pre.resourceVersion !== existing.metadata.resourceVersion)
        throw errors.conflict(
          def,
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion ?? ''}`,
        );
      const dryRun = options.dryRun === true;
      const next = structuredClone(existing);
      const nowMs = clock.nowMs();
      if (options.propagationPolicy === 'Foreground') addFinalizer(next, 'foregroundDeletion');
      if (options.propagationPolicy === 'Orphan') addFinalizer(next, 'orphan');

      let grace = 0;
      if (def.kind === 'Pod') {
        const spec = (next.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
        const phase = (next.status as { phase?: string } | undefined)?.phase;
        grace = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
        if (grace < 0) grace = 1;
        if (
          spec.nodeName === undefined ||
          spec.nodeName === '' ||
          phase === 'Succeeded' ||
          phase === 'Failed'
        )
          grace = 0;
      }
      const finalizers = blockingFinalizers(def, next);
      if (grace > 0) {
        const deadline = nowMs + grace * 1000;
        const previousDeadline =
          existing.metadata.deletionTimestamp === undefined
            ? Infinity
            : Date.parse(existing.metadata.deletionTimestamp);
        if (deadline < previousDeadline || existing.metadata.deletionTimestamp === undefined) {
          next.metadata.deletionTimestamp = formatTime(new Date(deadline));
          next.metadata.deletionGracePeriodSeconds = grace;
          next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
        }
        const object = dryRun ? next : finishWrite(def, next, existing, false);
        return { object, gone: false };
      }
      if (finalizers.length > 0) {
        next.metadata.deletionTimestamp ??= formatTime(new Date(nowMs));
        next.metadata.deletionGracePeriodSeconds = 0;
        if (def.kind === 'Namespace') next.status = { ...(next.status as object), phase: 'Terminating' };
        const object = dryRun ? next : finishWrite(def, next, existing, false);
        return { object, gone: false };
      }
      if (dryRun) return { object: existing, gone: true };
      const removed = store.remove(def, namespace, name) ?? existing;
      return { object: removed, gone: true };
    },

    getScale(def, namespace, name) {
      const object = api.get(def, namespace, name);
      const spec = (object.spec ?? {}) as { replicas?: number; selector?: unknown };
      const status = (object.status ?? {}) as { replicas?: number };
      return {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        metadata: {
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
          creationTimestamp: object.metadata.creationTimestamp,
        },
        spec: { replicas: spec.replicas ?? 0 },
        status: { replicas: status.replicas ?? 0, selector: selectorString(spec.selector) },
      };
    },

    updateScale(def, namespace, name, change, options = {}) {
      const before = api.getScale(def, namespace, name);
      const after = change(structuredClone(before));
      const rv = after.metadata.resourceVersion;
      if (rv !== undefined && rv !== '' && rv !== before.metadata.resourceVersion)
        throw errors.conflict(def, name);
      const replicas = (after.spec as { replicas?: unknown } | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
        throw errors.invalid({ ...def, kind: 'Scale', group: 'autoscaling' }, name, [
          {
            type: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
            field: 'spec.replicas',
          },
        ]);
      const object = api.get(def, namespace, name);
      (object.spec as { replicas?: number }).replicas = replicas;
      const updated = api.update(def, namespace, name, object, { dryRun: options.dryRun === true });
      const scale = options.dryRun ? updatedScale(before, replicas) : api.getScale(def, namespace, name);
      if (options.dryRun) scale.metadata.resourceVersion = updated.metadata.resourceVersion;
      return scale;
    },

    mutate(def, namespace, name, fn, options = {}) {
      const existing = store.get(def, namespace, name);
      if (existing === undefined) return undefined;
      const next = structuredClone(existing);
      fn(next);
      if (same(next, existing)) return existing;
      try {
        return api.update(def, namespace, name, next, options);
      } catch (error) {
        if (error instanceof ApiError && error.code === 404) return undefined;
        throw error;
      }
    },
  };
  return api;
}

/** Applies a PATCH body of the given type to a value. */
export function applyPatch(target: unknown, type: PatchType, patch: unknown): unknown {
  switch (type) {
    case 'json':
      return jsonPatch(target, patch);
    case 'merge':
      return mergePatch(target, toObject(patch, 'merge patch'));
    case 'strategic':
    case 'apply':
      return strategicMergePatch(target, toObject(patch, 'patch'));
  }
}

function updatedScale(before: KubeObject, replicas: number): KubeObject {
  const scale = structuredClone(before);
  scale.spec = { replicas };
  return scale;
}
