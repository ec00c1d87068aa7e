// What every controller shares: a keyed work queue drained on the simulated clock, and the
// context (API, clock, Linode, faults, event recorder) controllers act through.
import type { SimClock } from '../../clock.js';
import type { FaultSet, KubeObject, LinodeWorld } from '../../world.js';
import type { Api } from '../api.js';
import { ApiError } from '../errors.js';
import type { IdSource } from '../ids.js';
import type { ResourceDef } from '../registry.js';
import { mustFindByKind } from '../registry.js';
import type { StoreEvent } from '../store.js';
import type { EventRecorder } from './events.js';

export const defs = {
  namespace: mustFindByKind('v1', 'Namespace'),
  node: mustFindByKind('v1', 'Node'),
  pod: mustFindByKind('v1', 'Pod'),
  event: mustFindByKind('v1', 'Event'),
  service: mustFindByKind('v1', 'Service'),
  pvc: mustFindByKind('v1', 'PersistentVolumeClaim'),
  pv: mustFindByKind('v1', 'PersistentVolume'),
  deployment: mustFindByKind('apps/v1', 'Deployment'),
  replicaSet: mustFindByKind('apps/v1', 'ReplicaSet'),
  statefulSet: mustFindByKind('apps/v1', 'StatefulSet'),
  daemonSet: mustFindByKind('apps/v1', 'DaemonSet'),
  pdb: mustFindByKind('policy/v1', 'PodDisruptionBudget'),
  secret: mustFindByKind('v1', 'Secret'),
  configMap: mustFindByKind('v1', 'ConfigMap'),
  storageClass: mustFindByKind('storage.k8s.io/v1', 'StorageClass'),
  volumeAttachment: mustFindByKind('storage.k8s.io/v1', 'VolumeAttachment'),
  job: mustFindByKind('batch/v1', 'Job'),
  cronJob: mustFindByKind('batch/v1', 'CronJob'),
};

export interface ControllerContext {
  api: Api;
  clock: SimClock;
  faults: FaultSet;
  linode: LinodeWorld;
  ids: IdSource;
  events: EventRecorder;
  volumeLabelForm: 'pvc' | 'pvc-';
  /** Reports a controller failure that is not a conflict (kept for diagnostics). */
  reportError(controller: string, error: unknown): void;
}

export interface Controller {
  readonly name: string;
  /** Sees every store change (synchronously); must only enqueue work. */
  onStoreEvent?(event: StoreEvent): void;
  /** Sees every Linode change; must only enqueue work. */
  onLinodeChange?(): void;
  /** Sees a change of the fault list; must only enqueue work. */
  onFaultsChange?(): void;
}

export interface WorkQueue {
  add(key: string): void;
  /** Adds `key` after `ms` of simulated time (one pending timer per key; the earliest wins). */
  addAfter(key: string, ms: number): void;
}

export function createWorkQueue(
  ctx: ControllerContext,
  name: string,
  reconcile: (key: string) => void,
  beforeDrain: () => void = () => undefined,
): WorkQueue {
  const pending = new Set<string>();
  const timers = new Map<string, { at: number; cancel: () => void }>();
  let scheduled = false;

  const drain = (): void => {
    scheduled = false;
    beforeDrain();
    const keys = [...pending];
    pending.clear();
    for (const key of keys) {
      try {
        reconcile(key);
      } catch (error) {
        if (error instanceof ApiError && error.code === 409) queue.addAfter(key, 500);
        else ctx.reportError(name, error);
      }
    }
  };

  const queue: WorkQueue = {
    add(key) {
      pending.add(key);
      if (!scheduled) {
        scheduled = true;
        ctx.clock.after(0, drain);
      }
    },
    addAfter(key, ms) {
      const at = ctx.clock.nowMs() + ms;
      const existing = timers.get(key);
      if (existing !== undefined && existing.at <= at) return;
      existing?.cancel();
      const cancel = ctx.clock.after(ms, () => {
        timers.delete(key);
        queue.add(key);
      });
      timers.set(key, { at, cancel });
    },
  };
  return queue;
}

export function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const index = key.indexOf('/');
  const namespace = key.slice(0, index);
  return { namespace: namespace === '' ? undefined : namespace, name: key.slice(index + 1) };
}

export function isDef(event: StoreEvent, def: ResourceDef): boolean {
  return event.def.plural === def.plural && event.def.group === def.group;
}
