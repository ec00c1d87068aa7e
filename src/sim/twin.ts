// The dry-run twin: a fresh simulated world filled with objects read from a live cluster and Linode
// account, so a runbook can be run against it at full speed and every step planned against the
// state the earlier steps leave behind.
import type { LinodeEventSeed, LinodeInstance, LinodeVolume, KubeObject } from './world.js';
import { findByKind } from './kube/registry.js';
import { settle } from './scenario.js';
import type { WorldLoader } from './server.js';
import {
  crashLoopsOf,
  heldDetachesOf,
  missingDevicesOf,
  notReadyNodesOf,
  stuckAttachmentsOf,
  stuckTerminatingOf,
} from './twin-faults.js';

export interface TwinSeed {
  readonly name: string;
  readonly region: string | undefined;
  /** Emptied by the load: each object is let go once the twin holds its own copy. */
  readonly kube: KubeObject[];
  readonly linodeInstances: readonly LinodeInstance[];
  readonly linodeVolumes: readonly LinodeVolume[];
  readonly linodeEvents?: readonly LinodeEventSeed[];
  /** The node pools of the LKE clusters, as the live account lists them (ids guessed from labels without). */
  readonly lkePools?: ReadonlyArray<{
    readonly clusterId: number;
    readonly id: number;
    readonly type: string;
    readonly nodes: ReadonlyArray<{ readonly id: string; readonly instance_id: number | null }>;
  }>;
}

/** Owners before what they own, so controllers find a consistent world when they wake up. */
const RESTORE_ORDER = [
  'CustomResourceDefinition',
  'Namespace',
  'StorageClass',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Service',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'PodDisruptionBudget',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'CronJob',
  'Job',
  'Pod',
  'VolumeAttachment',
  'Event',
];

const rank = (object: KubeObject): number => {
  const index = RESTORE_ORDER.indexOf(object.kind);
  return index === -1 ? RESTORE_ORDER.length : index;
};

/** LKE Linodes are labelled lke<cluster>-<pool>-<hex>; their LKE node id is <pool>-<hex>. */
function lkeNodesOf(instances: readonly LinodeInstance[]) {
  return instances.flatMap((instance) => {
    const m = /^lke(\d+)-(\d+)-([0-9a-f]+)$/.exec(instance.label);
    if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined || instance.lke_cluster_id === null)
      return [];
    return [
      {
        clusterId: instance.lke_cluster_id,
        poolId: Number(m[2]),
        nodeId: `${m[2]}-${m[3]}`,
        instanceId: instance.id,
        type: instance.type,
      },
    ];
  });
}

/** The LKE nodes of the live pools, or, without them, as guessed from the Linodes' labels. */
function lkeNodesFrom(seed: TwinSeed) {
  if (seed.lkePools === undefined || seed.lkePools.length === 0) return lkeNodesOf(seed.linodeInstances);
  const types = new Map(seed.linodeInstances.map((i) => [i.id, i.type]));
  return seed.lkePools.flatMap((pool) =>
    pool.nodes.flatMap((node) =>
      node.instance_id === null
        ? []
        : [
            {
              clusterId: pool.clusterId,
              poolId: pool.id,
              nodeId: node.id,
              instanceId: node.instance_id,
              type: types.get(node.instance_id) ?? pool.type,
            },
          ],
    ),
  );
}

const timeOf = (text: unknown): number => (typeof text === 'string' ? Date.parse(text) : NaN);

/**
 * The live cluster's "now", as near as its objects tell: the newest time any of them records. The
 * twin's clock starts there, so what the twin does comes after what live did (events sort right,
 * deadlines and tolerations count from the right moment).
 */
export function liveNow(objects: readonly KubeObject[], events: readonly LinodeEventSeed[] = []): number {
  let newest = Number.NEGATIVE_INFINITY;
  const see = (ms: number): void => {
    if (Number.isFinite(ms) && ms > newest) newest = ms;
  };
  for (const o of objects) {
    see(timeOf(o.metadata.creationTimestamp));
    see(timeOf(o.lastTimestamp));
    see(timeOf(o.eventTime));
    const grace = o.metadata.deletionGracePeriodSeconds ?? 0;
    see(timeOf(o.metadata.deletionTimestamp) - grace * 1000);
    const conditions = (o.status as { conditions?: Array<Record<string, unknown>> } | undefined)?.conditions;
    for (const c of conditions ?? []) {
      see(timeOf(c.lastHeartbeatTime));
      see(timeOf(c.lastTransitionTime));
    }
  }
  for (const e of events) see(e.created);
  return Number.isFinite(newest) ? newest : Date.now();
}

export function twinLoader(seed: TwinSeed): WorldLoader {
  const linodeEvents = seed.linodeEvents ?? [];
  const startMs = liveNow(seed.kube, linodeEvents);
  return {
    name: seed.name,
    clusterId: 0,
    startMs,
    ...(seed.region === undefined ? {} : { region: seed.region }),
    async load(world) {
      for (const instance of seed.linodeInstances) world.linode.restoreInstance(instance);
      for (const volume of seed.linodeVolumes) world.linode.restoreVolume(volume);
      // Oldest first, so a detach under way finds its volume; one live holds for long stays held.
      const held = heldDetachesOf(linodeEvents, startMs);
      for (const fault of held) world.faults.add(fault);
      for (const event of [...linodeEvents].sort((a, b) => a.id - b.id)) world.linode.restoreEvent(event);
      // A pod crash-looping live crash-loops in the twin too, until something replaces it.
      const crashLoops = crashLoopsOf(seed.kube);
      // A node NotReady live is NotReady in the twin, until a reboot or a recycle; LKE nodes keep their ids.
      const notReady = notReadyNodesOf(seed.kube);
      // A pod its kubelet will not kill, a volume the CSI driver will not detach: stuck in the twin too.
      const stuck = [...stuckTerminatingOf(seed.kube, startMs), ...stuckAttachmentsOf(seed.kube)];
      // A device missing on the node that has its volume: missing in the twin too.
      const devices = missingDevicesOf(seed.kube, seed.linodeVolumes);
      const ordered: Array<KubeObject | undefined> = seed.kube.splice(0).sort((a, b) => rank(a) - rank(b));
      for (let i = 0; i < ordered.length; i++) {
        const object = ordered[i];
        ordered[i] = undefined;
        // A kind this simulator does not serve (a CRD it could not read, an alpha API) stays out of the twin.
        if (object !== undefined && findByKind(object.apiVersion, object.kind) !== undefined)
          world.kube.restore(object);
      }
      for (const fault of [...crashLoops, ...notReady, ...stuck, ...devices]) world.faults.add(fault);
      for (const node of lkeNodesFrom(seed)) world.linode.restoreLkeNode(node);
      await settle(world);
    },
  };
}
