// The dry-run twin: a fresh simulated world filled with objects read from a live cluster and Linode
// account, so a runbook can be run against it at full speed and every step planned against the
// state the earlier steps leave behind.
import type { LinodeInstance, LinodeVolume, KubeObject, Fault } from './world.js';
import { settle } from './scenario.js';
import type { WorldLoader } from './server.js';

export interface TwinSeed {
  readonly name: string;
  readonly region: string | undefined;
  /** Emptied by the load: each object is let go once the twin holds its own copy. */
  readonly kube: KubeObject[];
  readonly linodeInstances: readonly LinodeInstance[];
  readonly linodeVolumes: readonly LinodeVolume[];
}

/** Owners before what they own, so controllers find a consistent world when they wake up. */
const RESTORE_ORDER = [
  'Namespace',
  'StorageClass',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Service',
  'ConfigMap',
  'PodDisruptionBudget',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'VolumeAttachment',
];

const rank = (object: KubeObject): number => {
  const index = RESTORE_ORDER.indexOf(object.kind);
  return index === -1 ? RESTORE_ORDER.length : index;
};

interface PodStatusLike {
  containerStatuses?: Array<{
    state?: { waiting?: { reason?: string } };
    lastState?: { terminated?: { reason?: string } };
  }>;
}

/** One pod-crash-loop fault per live pod in CrashLoopBackOff, selecting it by its own labels. */
function crashLoopsOf(objects: readonly KubeObject[]): Fault[] {
  return objects.flatMap((object) => {
    if (object.kind !== 'Pod' || object.metadata.namespace === undefined) return [];
    const statuses = (object.status as PodStatusLike | undefined)?.containerStatuses ?? [];
    const looping = statuses.find((c) => c.state?.waiting?.reason === 'CrashLoopBackOff');
    const labels = Object.entries(object.metadata.labels ?? {});
    if (looping === undefined || labels.length === 0) return [];
    return [
      {
        kind: 'pod-crash-loop' as const,
        namespace: object.metadata.namespace,
        labelSelector: labels.map(([k, v]) => `${k}=${v}`).join(','),
        reason:
          looping.lastState?.terminated?.reason === 'OOMKilled' ? ('OOMKilled' as const) : ('Error' as const),
      },
    ];
  });
}

/** One node-not-ready fault (lifted by a reboot or recycle) per node whose Ready condition is not True. */
function notReadyNodesOf(objects: readonly KubeObject[]): Fault[] {
  return objects.flatMap((object) => {
    if (object.kind !== 'Node') return [];
    const conditions = (object.status as { conditions?: Array<{ type: string; status: string }> } | undefined)
      ?.conditions;
    const ready = conditions?.find((c) => c.type === 'Ready');
    if (ready === undefined || ready.status === 'True') return [];
    return [{ kind: 'node-not-ready' as const, node: object.metadata.name, untilReboot: true }];
  });
}

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

export function twinLoader(seed: TwinSeed): WorldLoader {
  return {
    name: seed.name,
    clusterId: 0,
    ...(seed.region === undefined ? {} : { region: seed.region }),
    async load(world) {
      for (const instance of seed.linodeInstances) world.linode.restoreInstance(instance);
      for (const volume of seed.linodeVolumes) world.linode.restoreVolume(volume);
      // A pod crash-looping live crash-loops in the twin too, until something replaces it.
      const crashLoops = crashLoopsOf(seed.kube);
      // A node NotReady live is NotReady in the twin, until a reboot or a recycle; LKE nodes keep their ids.
      const notReady = notReadyNodesOf(seed.kube);
      const ordered: Array<KubeObject | undefined> = seed.kube.splice(0).sort((a, b) => rank(a) - rank(b));
      for (let i = 0; i < ordered.length; i++) {
        const object = ordered[i];
        ordered[i] = undefined;
        if (object !== undefined) world.kube.restore(object);
      }
      for (const fault of [...crashLoops, ...notReady]) world.faults.add(fault);
      for (const node of lkeNodesOf(seed.linodeInstances)) world.linode.restoreLkeNode(node);
      await settle(world);
    },
  };
}
