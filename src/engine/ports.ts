// The read and write sides of every provider. Steps see only the readers; the executor alone holds
// the writers, so a step cannot change anything even by mistake.
import type {
  CoreV1Event,
  V1Deployment,
  V1Node,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
  V1VolumeAttachment,
} from '@kubernetes/client-node';
import type { Event as LinodeEvent, Linode, Volume } from '@linode/api-v4';
import type { KubeManifest, LeaseAction, LockHolder, ScaleTarget } from './vocabulary/index.js';
import type { PostgresReader, PostgresWriter } from './postgres-ports.js';
import type { ClaimUser, EvictionBlocked, LkeNodeView, PodRef } from './node-ports.js';
import type {
  ContainerResources,
  NodeBalancerView,
  NodePortView,
  WorkloadRef,
  WorkloadView,
} from './workload-ports.js';

export type * from './postgres-ports.js';
export type * from './workload-ports.js';
export type * from './node-ports.js';

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}

/** Mutations sent with `dryRun: true` are validated by the API server and never persisted. */
export interface MutationOptions {
  readonly dryRun?: boolean;
}

export interface ClusterIdentity {
  readonly context: string;
  readonly server: string;
}

/** A Kubernetes object as raw JSON, as the API server sent it. */
export interface RawKubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface KubeReader {
  identity(): ClusterIdentity;
  getLease(namespace: string, name: string): Promise<LeaseView | undefined>;
  /**
   * The objects a runbook can touch, as raw JSON, for the dry-run twin: nodes, volumes, storage
   * classes and attachments, plus the workloads, ConfigMaps and Events of `namespaces` (every
   * namespace for 'all'), and their Secrets as names and key names only: every value is replaced by
   * placeholder bytes of the same length inside the read.
   */
  snapshot(namespaces: readonly string[] | 'all'): Promise<RawKubeObject[]>;
  getDeployment(namespace: string, name: string): Promise<V1Deployment | undefined>;
  listPods(namespace: string, labelSelector: string): Promise<V1Pod[]>;
  getPersistentVolumeClaim(namespace: string, name: string): Promise<V1PersistentVolumeClaim | undefined>;
  getPersistentVolume(name: string): Promise<V1PersistentVolume | undefined>;
  getNode(name: string): Promise<V1Node | undefined>;
  listNodes(): Promise<V1Node[]>;
  listVolumeAttachments(): Promise<V1VolumeAttachment[]>;
  /** One Deployment, DaemonSet or StatefulSet, or undefined when it does not exist. */
  getWorkload(ref: WorkloadRef): Promise<WorkloadView | undefined>;
  /** Every Deployment, DaemonSet and StatefulSet of a namespace, or of every one for 'all', paged. */
  listWorkloads(namespace: string): Promise<WorkloadView[]>;
  /** Every pod of every namespace, paged. */
  listAllPods(): Promise<V1Pod[]>;
  /** The node ports of every NodePort and LoadBalancer Service, paged. */
  listNodePorts(): Promise<NodePortView[]>;
  /** Every pod scheduled on one node, in every namespace (fieldSelector spec.nodeName), paged. */
  listPodsOnNode(node: string): Promise<V1Pod[]>;
  /** The PodDisruptionBudgets of every namespace, paged. */
  listPodDisruptionBudgets(): Promise<V1PodDisruptionBudget[]>;
  listPersistentVolumes(): Promise<V1PersistentVolume[]>;
  /** The Deployments and StatefulSets of a namespace that mount PersistentVolumeClaims, paged. */
  listClaimUsers(namespace: string): Promise<ClaimUser[]>;
  /** Whether a Secret or ConfigMap exists; its data never leaves the provider. */
  configExists(kind: 'Secret' | 'ConfigMap', namespace: string, name: string): Promise<boolean>;
  /** Events about one object, oldest first. */
  listEventsFor(namespace: string, kind: string, name: string): Promise<CoreV1Event[]>;
  /**
   * Calls `onChange` whenever a watched collection changes (and once at the start), until the
   * signal aborts. Reconnects dropped watches; bounded by the signal, never by itself.
   */
  watchChanges(
    collections: readonly WatchedCollection[],
    onChange: () => void,
    signal: AbortSignal,
  ): Promise<void>;
}

export type WatchedCollection =
  | { readonly kind: 'pods'; readonly namespace: string; readonly labelSelector?: string }
  | { readonly kind: 'events'; readonly namespace: string }
  | { readonly kind: 'deployments'; readonly namespace: string }
  | { readonly kind: 'daemonsets'; readonly namespace: string }
  | { readonly kind: 'statefulsets'; readonly namespace: string }
  | { readonly kind: 'nodes' }
  | { readonly kind: 'volumeattachments' }
  | { readonly kind: 'pods-on-node'; readonly node: string };

/** The cluster lock as read: who holds it, since when, last renewed when. */
export interface LeaseView {
  readonly holder: LockHolder | undefined;
  readonly acquireTime: Date | undefined;
  readonly renewTime: Date | undefined;
  readonly durationSeconds: number;
  readonly resourceVersion: string;
}

/** A command to run in one container of a pod (exec API): an argument array, never a shell line. */
export interface ExecTarget {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  /** Of stdout and of stderr each, the last bytes kept. */
  readonly maxOutputBytes: number;
  readonly timeoutMs: number;
}

export interface ExecResult {
  /** undefined when it did not end in time or the server named no code. */
  readonly exitCode: number | undefined;
  readonly timedOut?: boolean;
  readonly stdout: string;
  readonly stderr: string;
  /** Output beyond maxOutputBytes was dropped (the first part). */
  readonly truncated: boolean;
}

export interface KubeWriter {
  /** Takes, renews or releases the cluster lock; a lost race is a RunbookError `locked`. */
  lease(action: LeaseAction, options?: MutationOptions): Promise<void>;
  /**
   * With `expect` (the count the plan read), only while spec.replicas is still that, written with the
   * resourceVersion read (kubectl scale --current-replicas): otherwise a ConflictError.
   */
  scale(
    target: ScaleTarget,
    replicas: number,
    options?: MutationOptions & { readonly expect?: number },
  ): Promise<void>;
  deleteDeployment(namespace: string, name: string, options?: MutationOptions): Promise<void>;
  forceDeletePod(namespace: string, name: string, uid: string, options?: MutationOptions): Promise<void>;
  /** Deletes this incarnation of a pod (uid precondition) gracefully; undefined: its own grace period. */
  deletePod(
    namespace: string,
    name: string,
    uid: string,
    gracePeriodSeconds: number | undefined,
    options?: MutationOptions,
  ): Promise<void>;
  /** Deletes this incarnation of a claim (uid precondition); pvc-protection keeps it while a pod uses it. */
  deletePersistentVolumeClaim(
    namespace: string,
    name: string,
    uid: string,
    options?: MutationOptions,
  ): Promise<void>;
  /** Creates a claim (POST); one of that name already there is refused (409), never replaced. */
  createPersistentVolumeClaim(claim: V1PersistentVolumeClaim, options?: MutationOptions): Promise<void>;
  /** Creates a PersistentVolume (POST), e.g. a static one over an existing cloud volume. */
  createPersistentVolume(volume: V1PersistentVolume, options?: MutationOptions): Promise<void>;
  /** Deletes this incarnation of a PersistentVolume (uid precondition); held while a claim is bound. */
  deletePersistentVolume(name: string, uid: string, options?: MutationOptions): Promise<void>;
  apply(manifest: KubeManifest, options?: MutationOptions): Promise<void>;
  /** kubectl rollout restart: sets the pod template's kubectl.kubernetes.io/restartedAt. */
  rolloutRestart(target: WorkloadRef, restartedAt: string, options?: MutationOptions): Promise<void>;
  /** kubectl set resources: one container's requests and limits (strategic merge by name). */
  setResources(
    target: WorkloadRef,
    container: string,
    resources: ContainerResources,
    options?: MutationOptions,
  ): Promise<void>;
  /**
   * Sets or clears spec.unschedulable (kubectl cordon / uncordon), written with the resourceVersion
   * read; a node already so (someone else did it since the plan) is a ConflictError.
   */
  cordon(node: string, unschedulable: boolean, options?: MutationOptions): Promise<void>;
  /**
   * Evicts pods through the eviction subresource, at most `concurrency` in flight; a 429 from a
   * PodDisruptionBudget is retried until `timeoutMs`, then reported (not thrown) with the budget named.
   */
  evictPods(
    pods: readonly PodRef[],
    limits: { readonly concurrency: number; readonly timeoutMs: number },
    options?: MutationOptions,
  ): Promise<EvictionBlocked[]>;
  /** Runs a command in a container; with dryRun, only checks that the pod and container exist. */
  exec(target: ExecTarget, options?: MutationOptions): Promise<ExecResult>;
}

/** One node pool of an LKE cluster, with its nodes as the Linode API lists them. */
export interface LkePoolSnapshot {
  readonly clusterId: number;
  readonly id: number;
  readonly type: string;
  readonly nodes: ReadonlyArray<{ id: string; instance_id: number | null; status: string }>;
}

export interface LinodeIdentity {
  readonly account: string | undefined;
  readonly apiUrl: string;
}

export interface LinodeReader {
  /** Reads the account; fails with access-refused on a bad token, before anything else happens. */
  identity(): Promise<LinodeIdentity>;
  getVolume(id: number): Promise<Volume | undefined>;
  /** Volumes whose label is exactly `label`. */
  findVolumes(label: string): Promise<Volume[]>;
  getInstance(id: number): Promise<Linode | undefined>;
  /**
   * Every Linode and every volume of the account (paged), the newest page of account events, and
   * the node pools of the LKE clusters those Linodes belong to, for the dry-run twin.
   */
  snapshot(): Promise<{
    instances: Linode[];
    volumes: Volume[];
    events: LinodeEvent[];
    lkePools: LkePoolSnapshot[];
  }>;
  /** The newest events for one entity, newest first (at most one page). */
  recentEvents(entityType: string, entityId: number, action?: string): Promise<LinodeEvent[]>;
  /** Every NodeBalancer of the account with its configs and their backends (all paged). */
  listNodeBalancers(): Promise<NodeBalancerView[]>;
  /** Every volume of the account, paged. */
  listVolumes(): Promise<Volume[]>;
  /** The LKE node a Linode backs, from the pools of its cluster; undefined when it backs none. */
  findLkeNode(clusterId: number, linodeId: number): Promise<LkeNodeView | undefined>;
}

export interface LinodeWriter {
  detachVolume(volumeId: number): Promise<void>;
  attachVolume(volumeId: number, linodeId: number): Promise<void>;
  /** POST /lke/clusters/{id}/nodes/{nodeId}/recycle: the node's Linode is deleted and replaced. */
  recycleLkeNode(clusterId: number, nodeId: string): Promise<void>;
  rebootLinode(linodeId: number): Promise<void>;
  /** POST /volumes: answers at once, the volume `creating`; it turns `active` later. */
  createVolume(volume: { label: string; size: number; region: string; linodeId?: number }): Promise<void>;
  /** POST /volumes/{id}/clone: a new volume with the source's size and data, in its region. */
  cloneVolume(sourceId: number, label: string): Promise<void>;
  /** POST /volumes/{id}/resize: grows only; the API refuses a smaller size. */
  resizeVolume(volumeId: number, size: number): Promise<void>;
}

export interface Readers {
  readonly kube: KubeReader;
  readonly linode: LinodeReader;
  /** Present when the run connected to Postgres (see Runbook.needs); absent otherwise. */
  readonly postgres?: PostgresReader;
}

export interface Writers {
  readonly kube: KubeWriter;
  readonly linode: LinodeWriter;
  readonly postgres?: PostgresWriter;
}
