// Why a pod being deleted is still on its node, and what ends it. A drain is not done while such a
// pod is there: a finalizer nobody removes, or a kubelet that is gone, keeps it Terminating for ever.
import type { V1Pod } from '@kubernetes/client-node';

export interface StuckPod {
  /** `namespace/name` */
  readonly pod: string;
  /** e.g. `finalizer example.com/backup holds it` */
  readonly why: string;
  /** What a person does about it. */
  readonly remedy: string;
}

/**
 * A terminating pod that nothing in the drain can make go, or undefined while its kubelet is still
 * expected to finish it (its grace period). The kubelet, done with a pod, deletes it with a grace
 * period of 0: a pod left after that is held by its finalizers alone.
 */
export function stuckTerminating(pod: V1Pod, node: string, nodeReady: boolean): StuckPod | undefined {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '?';
  const id = `${namespace}/${name}`;
  if (pod.metadata?.deletionTimestamp === undefined) return undefined;
  if (!nodeReady)
    return {
      pod: id,
      why: `node ${node} is NotReady: its kubelet is not answering, so nothing finishes the pod`,
      remedy:
        `recycle the node (runbook node-recycle --node ${node}), or force-delete the pod (runbook volume-reattach ` +
        `does that for pods whose volume is stuck; by hand: kubectl delete pod ${name} -n ${namespace} --grace-period=0 --force)`,
    };
  const finalizers = pod.metadata.finalizers ?? [];
  if (finalizers.length > 0 && pod.metadata.deletionGracePeriodSeconds === 0)
    return {
      pod: id,
      why: `finalizer ${finalizers.join(', ')} holds it (its containers have stopped)`,
      remedy:
        `find the controller that owns ${finalizers.join(', ')} and let it finish, or remove the finalizer: ` +
        `kubectl patch pod ${name} -n ${namespace} --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'`,
    };
  return undefined;
}

/** A pod still on the node that is not (yet) provably stuck: its kubelet has not finished it. */
export function notFinished(pod: V1Pod, node: string): StuckPod {
  const namespace = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '?';
  const finalizers = pod.metadata?.finalizers ?? [];
  return {
    pod: `${namespace}/${name}`,
    why:
      pod.metadata?.deletionTimestamp === undefined
        ? `it is still running on ${node}`
        : `the kubelet of ${node} has not finished it${finalizers.length > 0 ? ` (finalizer ${finalizers.join(', ')})` : ''}`,
    remedy: `run node-drain again once it is gone; if it stays, force-delete it: kubectl delete pod ${name} -n ${namespace} --grace-period=0 --force`,
  };
}
