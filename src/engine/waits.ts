// What a step waits for after its actions, as data: the engine runs each wait by watching, bounded
// by a timeout, and shows why it is still waiting.
import type { WorkloadRef } from './workload-ports.js';
import type { PodRef } from './node-ports.js';

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

export interface VolumeDetachedWait {
  readonly kind: 'linode.volume-detached';
  readonly volumeId: number;
  readonly volumeLabel: string;
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

export type Wait =
  | NodeDrainedWait
  | NodeReadyWait
  | PodsGoneWait
  | DeploymentReadyWait
  | VolumeReleasedWait
  | VolumeDetachedWait
  | WorkloadReadyWait;

export type WaitOutcome =
  | { readonly status: 'met'; readonly detail: string }
  /** The awaited state cannot come by itself; `detail` says why and what is stuck. */
  | { readonly status: 'stuck'; readonly detail: string };

export function describeWait(wait: Wait): string {
  const seconds = Math.round(wait.timeoutMs / 1000);
  switch (wait.kind) {
    case 'k8s.pods-gone':
      return `wait until no pod matches ${wait.labelSelector} in ${wait.namespace} (at most ${seconds}s)`;
    case 'k8s.deployment-ready':
      return `wait until deployment ${wait.namespace}/${wait.name} has ${wait.replicas} ready (at most ${seconds}s)`;
    case 'k8s.volume-released':
      return `wait until the CSI driver releases ${wait.persistentVolume} (at most ${seconds}s)`;
    case 'linode.volume-detached':
      return `wait until Linode reports volume ${wait.volumeLabel} detached (at most ${seconds}s)`;
    case 'k8s.node-drained':
      return `wait until ${wait.pods.length} evicted pod${wait.pods.length === 1 ? ' is' : 's are'} gone from node ${wait.node} (at most ${seconds}s)`;
    case 'k8s.node-ready':
      return `wait until node ${wait.node} is Ready${wait.replacing === undefined ? '' : ` on a new Linode (not ${wait.replacing})`} (at most ${seconds}s)`;
    case 'k8s.workload-ready':
      return `wait until ${wait.target.kind.toLowerCase()} ${wait.target.namespace}/${wait.target.name} has rolled out and every pod is Ready (at most ${seconds}s)`;
  }
}
