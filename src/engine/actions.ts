// Everything a runbook can change, as data. Steps return these; only the executor performs them.
import type { BackupRequest } from './postgres-ports.js';
import type { PodRef } from './node-ports.js';
import type { ContainerResources, WorkloadRef } from './workload-ports.js';

/** A workload that has a scale subresource. */
export interface ScaleTarget {
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
}

export interface ScaleAction {
  readonly kind: 'k8s.scale';
  readonly target: ScaleTarget;
  readonly from: number;
  readonly to: number;
}

export interface DeleteDeploymentAction {
  readonly kind: 'k8s.delete-deployment';
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
}

export interface ForceDeletePodAction {
  readonly kind: 'k8s.force-delete-pod';
  readonly namespace: string;
  readonly name: string;
  /** Only this incarnation of the pod is deleted; a replacement with a new uid is left alone. */
  readonly uid: string;
  readonly node: string | undefined;
}

export interface ApplyAction {
  readonly kind: 'k8s.apply';
  readonly manifest: KubeManifest;
  /** Where the manifest came from, as the operator would recognise it. */
  readonly source: string;
}

export interface VolumeDetachAction {
  readonly kind: 'linode.volume.detach';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly linodeId: number;
  readonly linodeLabel: string;
}

export interface VolumeAttachAction {
  readonly kind: 'linode.volume.attach';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly linodeId: number;
  readonly linodeLabel: string;
}

/** A backend chosen for termination, with what the operator saw when choosing it. */
export interface TerminateTarget {
  readonly pid: number;
  readonly backendStart: string;
  readonly application: string;
  readonly client: string;
  readonly state: string;
  readonly stateSeconds: number;
}

export interface PostgresTerminateAction {
  readonly kind: 'postgres.terminate';
  /** The server, password redacted. */
  readonly server: string;
  /** The operator's selection in words, e.g. `idle connections of site idle for 10+ minutes`. */
  readonly selection: string;
  /** What the operator types to confirm: the application, or the database when none was named. */
  readonly confirmName: string;
  readonly backends: readonly TerminateTarget[];
}

export interface PostgresBackupAction {
  readonly kind: 'postgres.backup';
  readonly server: string;
  readonly request: BackupRequest;
}

/** Who holds the cluster lock, as a second operator is told. */
export interface LockHolder {
  /** operator@host */
  readonly identity: string;
  readonly runbook: string;
  readonly runId: string;
}

/**
 * The cluster lock a mutating run holds (a coordination.k8s.io/v1 Lease): the run's bookkeeping, taken
 * and released by the engine around the steps, never planned by one.
 */
export interface LeaseAction {
  readonly kind: 'k8s.lease';
  readonly op: 'acquire' | 'renew' | 'release';
  readonly namespace: string;
  readonly name: string;
  readonly holder: LockHolder;
  readonly durationSeconds: number;
  /** The resourceVersion last read: an update fails (409) if anyone wrote the Lease since. */
  readonly resourceVersion?: string;
}

/** kubectl rollout restart: a new restartedAt annotation on the pod template rolls every pod. */
export interface RolloutRestartAction {
  readonly kind: 'k8s.rollout-restart';
  readonly target: WorkloadRef;
  /** The annotation's new value (an ISO time): a workload already carrying it is not restarted again. */
  readonly restartedAt: string;
  /** Why it is restarted, as the operator reads it (e.g. `1/2 ready: CrashLoopBackOff`). */
  readonly reason: string;
}

/** kubectl set resources: one container's requests and limits; its pods roll to take them. */
export interface SetResourcesAction {
  readonly kind: 'k8s.set-resources';
  readonly target: WorkloadRef;
  readonly container: string;
  readonly before: ContainerResources;
  readonly after: ContainerResources;
  /** The file the values come from. */
  readonly source: string;
}

/** kubectl cordon: no new pod is scheduled on the node. */
export interface CordonAction {
  readonly kind: 'k8s.cordon';
  readonly node: string;
}

/** kubectl uncordon: the node takes new pods again. */
export interface UncordonAction {
  readonly kind: 'k8s.uncordon';
  readonly node: string;
}

/** A pod to evict, with what the operator checks before saying yes. */
export interface EvictTarget extends PodRef {
  /** e.g. `deployment site`, `statefulset mongodb` */
  readonly owner: string;
  /** The PodDisruptionBudget that covers it, with what it allows now, when there is one. */
  readonly budget: string | undefined;
}

/** Evictions through the eviction subresource (PodDisruptionBudgets respected), bounded concurrency. */
export interface EvictAction {
  readonly kind: 'k8s.evict';
  readonly node: string;
  readonly pods: readonly EvictTarget[];
  readonly concurrency: number;
  /** How long a pod a budget refuses (429) is retried before the step stops, naming the budget. */
  readonly timeoutMs: number;
}

/** POST /lke/clusters/{id}/nodes/{nodeId}/recycle: LKE deletes the node's Linode and provisions a new one. */
export interface LkeRecycleNodeAction {
  readonly kind: 'linode.lke.recycle-node';
  readonly clusterId: number;
  readonly nodeId: string;
  readonly node: string;
  readonly linodeId: number;
}

/** POST /linode/instances/{id}/reboot: the node's Linode is restarted, disks kept. */
export interface LinodeRebootAction {
  readonly kind: 'linode.reboot';
  readonly linodeId: number;
  readonly linodeLabel: string;
  readonly node: string;
}

export type Action =
  | LeaseAction
  | ScaleAction
  | DeleteDeploymentAction
  | ForceDeletePodAction
  | ApplyAction
  | VolumeDetachAction
  | VolumeAttachAction
  | PostgresTerminateAction
  | PostgresBackupAction
  | RolloutRestartAction
  | SetResourcesAction
  | CordonAction
  | UncordonAction
  | EvictAction
  | LkeRecycleNodeAction
  | LinodeRebootAction;

export type ActionKind = Action['kind'];

/** A Kubernetes object as it would be applied: apiVersion, kind, metadata and the rest. */
export interface KubeManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}
