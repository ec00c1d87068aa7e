// What keeps live trouble alive in the dry-run twin. Copied objects alone would be healed by the
// twin's healthy controllers (a stuck pod finishes terminating, a missing device appears), and the
// twin would plan a recovery that live does not need; each kind of trouble the live cluster shows
// becomes the fault that reproduces it in the twin, lifted by what lifts it live.
import { volumeIdOfHandle } from './kube/controllers/csi-names.js';
import { linodeIdOf } from './kube/controllers/nodes.js';
import type { Fault, KubeObject, LinodeEventSeed, LinodeVolume } from './world.js';

/** A detach Linode has been running this long is held by Linode (2021-07-11), not slow. */
export const DETACH_STUCK_AFTER_MS = 10 * 60_000;

interface PodStatusLike {
  containerStatuses?: Array<{
    state?: { waiting?: { reason?: string } };
    lastState?: { terminated?: { reason?: string } };
  }>;
  conditions?: Array<{ type: string; status: string }>;
}

interface EventLike {
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
}

const isReady = (object: KubeObject | undefined): boolean =>
  ((object?.status as PodStatusLike | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

/** The events about one pod, by the pod's namespace and name. */
function eventsOfPod(objects: readonly KubeObject[], pod: KubeObject): EventLike[] {
  return objects.filter((o): boolean => {
    if (o.kind !== 'Event') return false;
    const involved = (o as EventLike).involvedObject;
    return (
      involved?.kind === 'Pod' &&
      involved.name === pod.metadata.name &&
      (involved.namespace ?? o.metadata.namespace) === pod.metadata.namespace
    );
  }) as EventLike[];
}

/** One pod-crash-loop fault per live pod in CrashLoopBackOff, selecting it by its own labels. */
export function crashLoopsOf(objects: readonly KubeObject[]): Fault[] {
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
export function notReadyNodesOf(objects: readonly KubeObject[]): Fault[] {
  return objects.flatMap((object) => {
    if (object.kind !== 'Node') return [];
    const conditions = (object.status as PodStatusLike | undefined)?.conditions;
    const ready = conditions?.find((c) => c.type === 'Ready');
    if (ready === undefined || ready.status === 'True') return [];
    return [{ kind: 'node-not-ready' as const, node: object.metadata.name, untilReboot: true }];
  });
}

/**
 * A pod terminating live that its kubelet will not finish: it reported FailedKillPod, or its
 * deletion deadline passed on a Ready node. The fault names that one pod, so its replacements stop
 * normally. (On a NotReady node the node's own fault holds it, until the node comes back.)
 */
export function stuckTerminatingOf(objects: readonly KubeObject[], nowMs: number): Fault[] {
  const nodes = new Map(objects.filter((o) => o.kind === 'Node').map((n) => [n.metadata.name, n]));
  return objects.flatMap((pod) => {
    if (pod.kind !== 'Pod' || pod.metadata.namespace === undefined) return [];
    const deletion = pod.metadata.deletionTimestamp;
    if (deletion === undefined) return [];
    const node = nodes.get((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
    const killFailed = eventsOfPod(objects, pod).some((e) => e.reason === 'FailedKillPod');
    const overdue = Date.parse(deletion) < nowMs && node !== undefined && isReady(node);
    if (!killFailed && !overdue) return [];
    return [
      {
        kind: 'pod-stuck-terminating' as const,
        namespace: pod.metadata.namespace,
        labelSelector: Object.entries(pod.metadata.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        name: pod.metadata.name,
      },
    ];
  });
}

/** One volume-stuck-attached fault per claim whose VolumeAttachment reports a failed detach. */
export function stuckAttachmentsOf(objects: readonly KubeObject[]): Fault[] {
  const pvs = new Map(objects.filter((o) => o.kind === 'PersistentVolume').map((p) => [p.metadata.name, p]));
  const faults = new Map<string, Fault>();
  for (const va of objects) {
    if (va.kind !== 'VolumeAttachment') continue;
    if ((va.status as { detachError?: unknown } | undefined)?.detachError === undefined) continue;
    const pvName = (va.spec as { source?: { persistentVolumeName?: string } } | undefined)?.source
      ?.persistentVolumeName;
    const claim = (
      pvs.get(pvName ?? '')?.spec as { claimRef?: { namespace?: string; name?: string } } | undefined
    )?.claimRef;
    if (claim?.namespace === undefined || claim.name === undefined) continue;
    faults.set(`${claim.namespace}/${claim.name}`, {
      kind: 'volume-stuck-attached',
      namespace: claim.namespace,
      pvc: claim.name,
    });
  }
  return [...faults.values()];
}

/**
 * Pods not Ready whose kubelet reported "Unable to find device path" although Linode has the volume
 * on their node's Linode: the twin's kubelet would find it. Each becomes a volume-device-missing
 * fault for its claim, lasting as the simulator's does (nothing read live says what would lift it).
 */
export function missingDevicesOf(objects: readonly KubeObject[], volumes: readonly LinodeVolume[]): Fault[] {
  const find = (kind: string, namespace: string | undefined, name: string): KubeObject | undefined =>
    objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);
  const out = new Map<string, Fault>();
  for (const pod of objects) {
    if (pod.kind !== 'Pod' || isReady(pod) || pod.metadata.namespace === undefined) continue;
    const namespace = pod.metadata.namespace;
    const failures = eventsOfPod(objects, pod).filter(
      (e) => e.reason === 'FailedMount' && (e.message ?? '').includes('Unable to find device path'),
    );
    if (failures.length === 0) continue;
    const node = find('Node', undefined, (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
    const claims =
      (pod.spec as { volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }> } | undefined)
        ?.volumes ?? [];
    for (const claim of claims.flatMap((v) => v.persistentVolumeClaim?.claimName ?? [])) {
      const pvName = (find('PersistentVolumeClaim', namespace, claim)?.spec as { volumeName?: string })
        ?.volumeName;
      if (pvName === undefined || !failures.some((e) => (e.message ?? '').includes(pvName))) continue;
      const handle = (
        find('PersistentVolume', undefined, pvName)?.spec as { csi?: { volumeHandle?: string } }
      )?.csi?.volumeHandle;
      const volume = volumes.find((v) => v.id === volumeIdOfHandle(handle));
      // Attached elsewhere (or nowhere): the twin's kubelet misses the device by itself.
      if (volume === undefined || volume.linode_id === null || volume.linode_id !== linodeIdOf(node))
        continue;
      out.set(`${namespace}/${claim}`, { kind: 'volume-device-missing', namespace, pvc: claim });
    }
  }
  return [...out.values()];
}

/** A volume_detach Linode has held at `started` for long: it stays held in the twin. */
export function heldDetachesOf(events: readonly LinodeEventSeed[], nowMs: number): Fault[] {
  return events.flatMap((e) =>
    e.action === 'volume_detach' &&
    (e.status === 'started' || e.status === 'scheduled') &&
    e.entity !== null &&
    nowMs - e.created > DETACH_STUCK_AFTER_MS
      ? [{ kind: 'linode-detach-never-completes' as const, volumeLabel: e.entity.label }]
      : [],
  );
}
