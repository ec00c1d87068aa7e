// What a step can wait for in the cluster, each defined once: its shape, how it reads, what it
// watches, and its look at the world with the sentence shown while the state is not reached yet
// (which pod is left and what holds it, which condition a node reports, how far Linode's event got).
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { PodRef } from '../node-ports.js';
import type { Readers } from '../ports.js';
import type { WorkloadRef } from '../workload-ports.js';
import { type Evaluation, type WaitDefinitions, builder, eventProgress } from './define.js';
import { nodeIsReady, podState, podsAndWarnings, whyStuckTerminating } from './kubernetes-status.js';
import { kube } from '../permissions/permission.js';
import { reads } from '../permissions/readers.js';

export interface PodsGoneWait {
  readonly kind: 'k8s.pods-gone';
  readonly namespace: string;
  readonly labelSelector: string;
  readonly timeoutMs: number;
  /**
   * `continue`: pods whose kubelet cannot finish terminating them (FailedKillPod, node NotReady)
   * end the wait without failing, so a later step can force-delete them.
   */
  readonly whenStuck: 'continue' | 'fail';
}

export interface DeploymentReadyWait {
  readonly kind: 'k8s.deployment-ready';
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly timeoutMs: number;
}

/** The CSI driver has let go of a volume: no VolumeAttachment names the PV any more. */
export interface VolumeReleasedWait {
  readonly kind: 'k8s.volume-released';
  readonly persistentVolume: string;
  readonly timeoutMs: number;
  /** `continue`: a VolumeAttachment whose detach failed (detachError) ends the wait without failing. */
  readonly whenStuck: 'continue' | 'fail';
}

/**
 * A deleted pod has a Ready replacement of the same name (a StatefulSet's pod): the incarnation `uid`
 * is gone and a new one is Ready.
 */
export interface PodReplacedWait {
  readonly kind: 'k8s.pod-replaced';
  readonly namespace: string;
  readonly name: string;
  /** The incarnation that was deleted. */
  readonly uid: string;
  /** Selects the pod and its siblings (the workload's selector), for listing and watching. */
  readonly labelSelector: string;
  readonly timeoutMs: number;
}

/** A Deployment, DaemonSet or StatefulSet has rolled out its current template and every pod is Ready. */
export interface WorkloadReadyWait {
  readonly kind: 'k8s.workload-ready';
  readonly target: WorkloadRef;
  readonly timeoutMs: number;
}

/** The pods evicted from a node are gone from it (these incarnations: replacements elsewhere are fine). */
export interface NodeDrainedWait {
  readonly kind: 'k8s.node-drained';
  readonly node: string;
  readonly pods: readonly PodRef[];
  readonly timeoutMs: number;
  /** `continue`: pods a NotReady node's kubelet cannot finish end the wait without failing. */
  readonly whenStuck: 'continue' | 'fail';
}

/** A node is Ready; with `replacing`, only once it runs on another Linode than that one (a recycle). */
export interface NodeReadyWait {
  readonly kind: 'k8s.node-ready';
  readonly node: string;
  readonly replacing?: number;
  /** The Linode event whose progress explains the wait (lke_node_recycle, linode_reboot). */
  readonly linodeEvent?: { readonly entityType: string; readonly entityId: number; readonly action: string };
  readonly timeoutMs: number;
}

export type KubernetesWait =
  | NodeDrainedWait
  | NodeReadyWait
  | PodsGoneWait
  | PodReplacedWait
  | DeploymentReadyWait
  | VolumeReleasedWait
  | WorkloadReadyWait;

export const kubernetesWaits = {
  'k8s.pods-gone': {
    permissions: [
      ...reads.kube('listPods', 'getNode', 'listEventsFor'),
      ...kube('list,watch', '', 'pods'),
      ...kube('list,watch', '', 'events'),
      ...kube('list,watch', '', 'nodes', 'cluster'),
    ],
    describe: (w) => `wait until no pod matches ${w.labelSelector} in ${w.namespace}`,
    watched: (w) => [
      { kind: 'pods', namespace: w.namespace, labelSelector: w.labelSelector },
      { kind: 'events', namespace: w.namespace },
      { kind: 'nodes' },
    ],
    evaluate: evaluatePodsGone,
  },
  'k8s.pod-replaced': {
    permissions: [
      ...reads.kube('listPods', 'getNode', 'listEventsFor'),
      ...kube('list,watch', '', 'pods'),
      ...kube('list,watch', '', 'events'),
    ],
    describe: (w) => `wait until pod ${w.namespace}/${w.name} is replaced by a new one and Ready`,
    watched: (w) => [
      { kind: 'pods', namespace: w.namespace, labelSelector: w.labelSelector },
      { kind: 'events', namespace: w.namespace },
    ],
    evaluate: evaluatePodReplaced,
  },
  'k8s.deployment-ready': {
    permissions: [
      ...reads.kube('getDeployment'),
      ...reads.kube('listPods', 'getNode', 'listEventsFor'),
      ...kube('list,watch', '', 'pods'),
      ...kube('list,watch', '', 'events'),
      ...kube('list,watch', 'apps', 'deployments'),
    ],
    describe: (w) => `wait until deployment ${w.namespace}/${w.name} has ${w.replicas} ready`,
    watched: (w) => [
      { kind: 'deployments', namespace: w.namespace },
      { kind: 'pods', namespace: w.namespace },
      { kind: 'events', namespace: w.namespace },
    ],
    evaluate: evaluateDeploymentReady,
  },
  'k8s.volume-released': {
    permissions: [
      ...reads.kube('listVolumeAttachments', 'getNode'),
      ...kube('list,watch', 'storage.k8s.io', 'volumeattachments', 'cluster'),
    ],
    describe: (w) => `wait until the CSI driver releases ${w.persistentVolume}`,
    watched: () => [{ kind: 'volumeattachments' }],
    evaluate: evaluateVolumeReleased,
  },
  'k8s.node-drained': {
    permissions: [
      ...reads.kube('listPodsOnNode', 'getNode'),
      ...kube('list,watch', '', 'pods', 'cluster'),
      ...kube('list,watch', '', 'nodes', 'cluster'),
    ],
    describe: (w) =>
      `wait until ${w.pods.length} evicted pod${w.pods.length === 1 ? ' is' : 's are'} gone from node ${w.node}`,
    watched: (w) => [{ kind: 'pods-on-node', node: w.node }, { kind: 'nodes' }],
    evaluate: evaluateNodeDrained,
  },
  'k8s.node-ready': {
    permissions: [
      ...reads.kube('getNode'),
      ...reads.linode('recentEvents'),
      ...kube('list,watch', '', 'nodes', 'cluster'),
    ],
    describe: (w) =>
      `wait until node ${w.node} is Ready${w.replacing === undefined ? '' : ` on a new Linode (not ${w.replacing})`}`,
    // The node is watched; the Linode event's progress is read at each change (Linode has no watch).
    watched: () => [{ kind: 'nodes' }],
    evaluate: evaluateNodeReady,
  },
  'k8s.workload-ready': {
    permissions: [
      ...reads.kube('getWorkload'),
      ...reads.kube('listPods', 'getNode', 'listEventsFor'),
      ...kube('list,watch', '', 'pods'),
      ...kube('list,watch', '', 'events'),
      ...kube('list,watch', 'apps', 'deployments'),
      ...kube('list,watch', 'apps', 'daemonsets'),
      ...kube('list,watch', 'apps', 'statefulsets'),
    ],
    describe: ({ target }) =>
      `wait until ${target.kind.toLowerCase()} ${target.namespace}/${target.name} has rolled out and every pod is Ready`,
    watched: ({ target: { namespace, kind } }) => [
      {
        kind: kind === 'Deployment' ? 'deployments' : kind === 'DaemonSet' ? 'daemonsets' : 'statefulsets',
        namespace,
      },
      { kind: 'pods', namespace },
      { kind: 'events', namespace },
    ],
    evaluate: evaluateWorkloadReady,
  },
} satisfies WaitDefinitions<KubernetesWait>;

async function evaluatePodsGone(wait: PodsGoneWait, read: Readers): Promise<Evaluation> {
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

async function evaluateDeploymentReady(wait: DeploymentReadyWait, read: Readers): Promise<Evaluation> {
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
  return {
    waiting: `${ready}/${wait.replicas} ready: ${await podsAndWarnings(wait.namespace, selector, read)}`,
  };
}

async function evaluateVolumeReleased(wait: VolumeReleasedWait, read: Readers): Promise<Evaluation> {
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

async function evaluatePodReplaced(wait: PodReplacedWait, read: Readers): Promise<Evaluation> {
  const name = `${wait.namespace}/${wait.name}`;
  const pod = (await read.kube.listPods(wait.namespace, wait.labelSelector)).find(
    (p) => p.metadata?.name === wait.name,
  );
  if (pod === undefined) return { waiting: `${name} is gone; its controller has not made the new one yet` };
  if (pod.metadata?.uid === wait.uid) {
    const why = await whyStuckTerminating(pod, read);
    return { waiting: why ?? `${name} (the deleted one) is ${podState(pod)}` };
  }
  const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  if (ready && pod.metadata?.deletionTimestamp === undefined)
    return { outcome: { status: 'met', detail: `${name} is a new pod and Ready` } };
  const podsText = await podsAndWarnings(wait.namespace, wait.labelSelector, read);
  return { waiting: `${name} is a new pod, ${podState(pod)}: ${podsText}` };
}

async function evaluateWorkloadReady(wait: WorkloadReadyWait, read: Readers): Promise<Evaluation> {
  const { namespace, kind, name } = wait.target;
  const workload = await read.kube.getWorkload(wait.target);
  const what = `${kind.toLowerCase()} ${namespace}/${name}`;
  if (workload === undefined) return { waiting: `${what} does not exist` };
  const { desired, ready, updated, observed } = workload;
  if (observed && ready >= desired && updated >= desired) {
    return {
      outcome: { status: 'met', detail: `${what}: ${ready}/${desired} ready on the current template` },
    };
  }
  const podsText = await podsAndWarnings(namespace, workload.selector, read);
  return {
    waiting: `${what}: ${ready}/${desired} ready, ${updated}/${desired} on the new template${observed ? '' : ' (change not yet seen by its controller)'}: ${podsText}`,
  };
}

function holdsPod(pod: V1Pod, nodeReady: boolean): { why: string; stuck: boolean } {
  const name = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? '?'}`;
  const finalizers = pod.metadata?.finalizers ?? [];
  if (pod.metadata?.deletionTimestamp !== undefined) {
    if (!nodeReady)
      return { why: `${name} is terminating but the node's kubelet is not answering`, stuck: true };
    if (finalizers.length > 0)
      return { why: `${name} is terminating, held by finalizer ${finalizers.join(', ')}`, stuck: false };
    return { why: `${name} is terminating (grace period)`, stuck: false };
  }
  return { why: `${name} ${podState(pod)}`, stuck: false };
}

async function evaluateNodeDrained(wait: NodeDrainedWait, read: Readers): Promise<Evaluation> {
  const uids = new Set(wait.pods.map((p) => p.uid));
  const left = (await read.kube.listPodsOnNode(wait.node)).filter((p) => uids.has(p.metadata?.uid ?? ''));
  if (left.length === 0)
    return {
      outcome: { status: 'met', detail: `the ${wait.pods.length} evicted pods are gone from ${wait.node}` },
    };
  const ready = nodeIsReady(await read.kube.getNode(wait.node));
  const held = left.map((p) => holdsPod(p, ready));
  const text = `${left.length} of ${wait.pods.length} evicted pods still on ${wait.node}: ${held
    .slice(0, 5)
    .map((h) => h.why)
    .join('; ')}${held.length > 5 ? '; …' : ''}`;
  if (held.every((h) => h.stuck) && wait.whenStuck === 'continue')
    return { outcome: { status: 'stuck', detail: text } };
  return { waiting: text };
}

function readyCondition(node: V1Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready === undefined) return 'no Ready condition yet';
  return `Ready=${ready.status}${ready.reason === undefined ? '' : ` (${ready.reason}${ready.message === undefined ? '' : `: ${ready.message}`})`}`;
}

/** What a finished Linode event means when the node is still not Ready. */
const AFTER_FINISHED: Readonly<Record<string, string>> = {
  linode_reboot:
    ': the Linode is back but its kubelet is not; if it stays so, recycle the node instead (node-recycle --method recycle)',
};
const AFTER_FINISHED_OTHERWISE =
  ': LKE is done but the node has not registered Ready; check the node pool in the Cloud Manager or open a Linode ticket';

async function evaluateNodeReady(wait: NodeReadyWait, read: Readers): Promise<Evaluation> {
  const node = await read.kube.getNode(wait.node);
  const providerId = node?.spec?.providerID ?? '';
  const replaced = wait.replacing === undefined || providerId !== `linode://${wait.replacing}`;
  if (node !== undefined && replaced && nodeIsReady(node))
    return {
      outcome: { status: 'met', detail: `node ${wait.node} is Ready on ${providerId || 'its machine'}` },
    };
  let progress = '';
  if (wait.linodeEvent !== undefined) {
    const { entityType, entityId, action } = wait.linodeEvent;
    const [event] = await read.linode.recentEvents(entityType, entityId, action);
    if (event?.status === 'failed')
      return {
        outcome: { status: 'stuck', detail: `Linode reports the ${action} event ${event.id} failed` },
      };
    progress =
      event === undefined
        ? `; no ${action} event yet`
        : `; Linode ${action} ${eventProgress(event)}${
            event.status === 'finished' ? (AFTER_FINISHED[action] ?? AFTER_FINISHED_OTHERWISE) : ''
          }`;
  }
  const state =
    node === undefined
      ? `node ${wait.node} has not registered`
      : !replaced
        ? `node ${wait.node} still runs on the old Linode ${wait.replacing ?? ''} (${readyCondition(node)})`
        : `node ${wait.node} is ${readyCondition(node)}`;
  return { waiting: `${state}${progress}` };
}

export const podsGone = builder<PodsGoneWait>('k8s.pods-gone');
export const deploymentReady = builder<DeploymentReadyWait>('k8s.deployment-ready');
export const volumeReleased = builder<VolumeReleasedWait>('k8s.volume-released');
export const podReplaced = builder<PodReplacedWait>('k8s.pod-replaced');
export const workloadReady = builder<WorkloadReadyWait>('k8s.workload-ready');
export const nodeDrained = builder<NodeDrainedWait>('k8s.node-drained');
export const nodeReady = builder<NodeReadyWait>('k8s.node-ready');
