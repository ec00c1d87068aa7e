// How a pod or node's state reads to the operator (Terminating, Pending (ImagePullBackOff), Ready),
// shared by the Kubernetes waits and by the runbooks that show what they found.
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import type { Readers } from '../ports.js';

const WARNINGS_WORTH_SHOWING = new Set([
  'FailedKillPod',
  'FailedAttachVolume',
  'FailedMount',
  'FailedScheduling',
  'FailedCreatePodSandBox',
  'BackOff',
  'Unhealthy',
  // The kubelet's reason for CreateContainerConfigError (a missing Secret or key) and image pull errors.
  'Failed',
]);

export function latestWarning(events: readonly CoreV1Event[]): CoreV1Event | undefined {
  return [...events]
    .reverse()
    .find((e) => e.type === 'Warning' && WARNINGS_WORTH_SHOWING.has(e.reason ?? ''));
}

export const nodeIsReady = (node: V1Node | undefined): boolean =>
  node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export function podState(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting !== undefined)?.state?.waiting;
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const phase = pod.status?.phase ?? 'Pending';
  if (waiting?.reason !== undefined) return `${phase} (${waiting.reason})`;
  return ready ? `${phase}, Ready` : `${phase}, not Ready`;
}

/** A terminating pod its kubelet will not finish: it reported FailedKillPod, or its node is not Ready. */
export async function whyStuckTerminating(pod: V1Pod, read: Readers): Promise<string | undefined> {
  if (pod.metadata?.deletionTimestamp === undefined) return undefined;
  const name = pod.metadata.name ?? '';
  const nodeName = pod.spec?.nodeName;
  if (nodeName !== undefined && !nodeIsReady(await read.kube.getNode(nodeName))) {
    return `pod ${name} is terminating on node ${nodeName}, which is not Ready: its kubelet cannot finish the termination`;
  }
  const events = await read.kube.listEventsFor(pod.metadata.namespace ?? '', 'Pod', name);
  const kill = [...events].reverse().find((e) => e.reason === 'FailedKillPod');
  if (kill !== undefined)
    return `pod ${name} cannot be killed by its kubelet (FailedKillPod: ${kill.message ?? ''})`;
  return undefined;
}

/** The first pods of a selector with their state and latest warning: `site-1 Pending — FailedMount: …`. */
export async function podsAndWarnings(namespace: string, selector: string, read: Readers): Promise<string> {
  const pods = selector === '' ? [] : await read.kube.listPods(namespace, selector);
  const parts: string[] = [];
  for (const pod of pods.slice(0, 5)) {
    const name = pod.metadata?.name ?? '?';
    const warning = latestWarning(await read.kube.listEventsFor(namespace, 'Pod', name));
    parts.push(
      `${name} ${podState(pod)}${warning === undefined ? '' : ` — ${warning.reason ?? ''}: ${warning.message ?? ''}`}`,
    );
  }
  return parts.length === 0 ? 'no pod yet' : parts.join('; ');
}
