// Pod facts several parts need: readiness, the PVCs a pod mounts, whether it still holds its node.
import type { KubeObject } from '../world.js';

interface PodCondition {
  type: string;
  status: string;
}

export function podPhase(pod: KubeObject): string {
  return (pod.status as { phase?: string } | undefined)?.phase ?? 'Pending';
}

export function podNode(pod: KubeObject): string | undefined {
  const name = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  return name === undefined || name === '' ? undefined : name;
}

export function isPodReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isTerminating(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Names of the PersistentVolumeClaims a pod mounts. */
export function podClaims(pod: KubeObject): string[] {
  const volumes = ((pod.spec as { volumes?: unknown[] } | undefined)?.volumes ?? []) as Array<{
    persistentVolumeClaim?: { claimName?: string };
  }>;
  return volumes.flatMap((v) =>
    v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : [],
  );
}

export function controllerOf(object: KubeObject): { kind: string; name: string; uid: string } | undefined {
  return object.metadata.ownerReferences?.find((o) => o.controller === true);
}
