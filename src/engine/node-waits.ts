// What the node waits look at (k8s.node-drained, k8s.node-ready) and the sentence they show while
// not there yet: which pod is left and what holds it (a finalizer, a NotReady kubelet), which
// condition the node reports, and how far Linode's recycle or reboot event has got.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { Readers } from './ports.js';
import type { Evaluation } from './wait-runner.js';
import { nodeIsReady, podState } from './wait-conditions.js';
import type { NodeDrainedWait, NodeReadyWait } from './waits.js';

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

export async function evaluateNodeDrained(wait: NodeDrainedWait, read: Readers): Promise<Evaluation> {
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

export async function evaluateNodeReady(wait: NodeReadyWait, read: Readers): Promise<Evaluation> {
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
        : `; Linode ${action} event ${event.id} is ${event.status}${event.percent_complete == null ? '' : ` (${event.percent_complete}%)`}${
            event.status === 'finished'
              ? action === 'linode_reboot'
                ? ': the Linode is back but its kubelet is not; if it stays so, recycle the node instead (node-recycle --method recycle)'
                : ': LKE is done but the node has not registered Ready; check the node pool in the Cloud Manager or open a Linode ticket'
              : ''
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
