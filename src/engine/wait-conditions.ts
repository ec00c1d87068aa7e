// What each wait looks at, and the sentence it shows while the state is not reached yet.
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import type { Readers } from './ports.js';
import type { DeploymentReadyWait, PodsGoneWait, VolumeDetachedWait, VolumeReleasedWait } from './waits.js';
import type { Evaluation } from './wait-runner.js';

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

export function podState(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp !== undefined) return 'Terminating';
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting !== undefined)?.state?.waiting;
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const phase = pod.status?.phase ?? 'Pending';
  if (waiting?.reason !== undefined) return `${phase} (${waiting.reason})`;
  return ready ? `${phase}, Ready` : `${phase}, not Ready`;
}

export async function evaluatePodsGone(wait: PodsGoneWait, read: Readers): Promise<Evaluation> {
  const pods = await read.kube.listPods(wait.namespace, wait.labelSelector);
  if (pods.length === 0)
    return { outcome: { status: 'met', detail: `no pod matches ${wait.labelSelector}` } };
  const stuck: string[] = [];
  for (const pod of pods) {
    const why = await whyStuckTerminating(pod, read);
    if (why !== undefined) stuck.push(why);
  }
  if (stuck.length === pods.length) {
    if (wait.whenStuck === 'continue') return { outcome: { status: 'stuck', detail: stuck.join('; ') } };
    return { waiting: stuck.join('; ') };
  }
  const list = pods.map((p) => `${p.metadata?.name ?? '?'} ${podState(p)}`).join(', ');
  return { waiting: `${pods.length} pod${pods.length === 1 ? '' : 's'} left: ${list}` };
}

export async function evaluateDeploymentReady(wait: DeploymentReadyWait, read: Readers): Promise<Evaluation> {
  const deployment = await read.kube.getDeployment(wait.namespace, wait.name);
  if (deployment === undefined)
    return { waiting: `deployment ${wait.namespace}/${wait.name} does not exist yet` };
  const status = deployment.status ?? {};
  const ready = status.readyReplicas ?? 0;
  const observed = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  if (observed && ready >= wait.replicas && (status.updatedReplicas ?? 0) >= wait.replicas) {
    return { outcome: { status: 'met', detail: `${ready}/${wait.replicas} ready` } };
  }
  const selector = Object.entries(deployment.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = selector === '' ? [] : await read.kube.listPods(wait.namespace, selector);
  const parts: string[] = [];
  for (const pod of pods.slice(0, 5)) {
    const name = pod.metadata?.name ?? '?';
    const warning = latestWarning(await read.kube.listEventsFor(wait.namespace, 'Pod', name));
    parts.push(
      `${name} ${podState(pod)}${warning === undefined ? '' : ` — ${warning.reason ?? ''}: ${warning.message ?? ''}`}`,
    );
  }
  const podsText = parts.length === 0 ? 'no pod yet' : parts.join('; ');
  return { waiting: `${ready}/${wait.replicas} ready: ${podsText}` };
}

export async function evaluateVolumeReleased(wait: VolumeReleasedWait, read: Readers): Promise<Evaluation> {
  const attachments = (await read.kube.listVolumeAttachments()).filter(
    (va) => va.spec.source.persistentVolumeName === wait.persistentVolume,
  );
  if (attachments.length === 0) {
    return { outcome: { status: 'met', detail: `no VolumeAttachment holds ${wait.persistentVolume}` } };
  }
  const failed = attachments.find((va) => va.status?.detachError !== undefined);
  if (failed !== undefined) {
    const detail = `the CSI driver failed to detach ${wait.persistentVolume} from ${failed.spec.nodeName}: ${failed.status?.detachError?.message ?? 'no message'}`;
    if (wait.whenStuck === 'continue') return { outcome: { status: 'stuck', detail } };
    return { waiting: detail };
  }
  const nodes = attachments.map((va) => va.spec.nodeName).join(', ');
  if (wait.whenStuck === 'continue') {
    const ready = await Promise.all(
      attachments.map(async (va) => nodeIsReady(await read.kube.getNode(va.spec.nodeName))),
    );
    if (!ready.some(Boolean)) {
      const detail =
        `VolumeAttachment for ${wait.persistentVolume} is on ${nodes}, not Ready: the attach-detach ` +
        'controller will not detach it while a pod there may still use it';
      return { outcome: { status: 'stuck', detail } };
    }
  }
  return {
    waiting: `VolumeAttachment for ${wait.persistentVolume} still present on ${nodes} (detach in progress)`,
  };
}

export async function evaluateVolumeDetached(wait: VolumeDetachedWait, read: Readers): Promise<Evaluation> {
  const volume = await read.linode.getVolume(wait.volumeId);
  if (volume === undefined)
    return { outcome: { status: 'met', detail: `volume ${wait.volumeLabel} no longer exists` } };
  if (volume.linode_id === null)
    return { outcome: { status: 'met', detail: `volume ${wait.volumeLabel} is detached` } };
  const [event] = await read.linode.recentEvents('volume', wait.volumeId, 'volume_detach');
  if (event?.status === 'failed') {
    return {
      outcome: { status: 'stuck', detail: `Linode reports the detach of ${wait.volumeLabel} failed` },
    };
  }
  const progress =
    event === undefined
      ? 'no volume_detach event yet'
      : `volume_detach event ${event.id} is ${event.status}${event.percent_complete == null ? '' : ` (${event.percent_complete}%)`}`;
  return {
    waiting: `volume ${wait.volumeLabel} is still attached to Linode ${volume.linode_label ?? volume.linode_id}; ${progress}`,
    soon: event?.status === 'started' && (event.percent_complete ?? 0) >= 50,
  };
}
