// The contracts between the simulator's parts: the Kubernetes side (src/sim/kube), the Linode side
// (src/sim/linode), faults, and the server that puts them behind one loopback HTTP port.
import type { SimClock } from './clock.js';

/** A Kubernetes object as JSON, exactly as the API serves it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    ownerReferences?: Array<{
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller?: boolean;
      blockOwnerDeletion?: boolean;
    }>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** One request as the control API reports it at GET /_sim/requests. */
export interface RequestRecord {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  api: 'kubernetes' | 'linode' | 'control';
  /** A server-side dry run asked for in the body (a delete's DeleteOptions), not the query. */
  dryRun?: true;
}

/**
 * Faults switched on by a scenario or at run time (POST /_sim/faults). Each side honours the
 * kinds it owns and ignores the rest.
 */
export type Fault =
  /**
   * The kubelet never finishes terminating matching pods: after the grace period it reports
   * FailedKillPod. With `name`, only the pod of that name (a dry-run twin's copy of one stuck live).
   */
  | { kind: 'pod-stuck-terminating'; namespace: string; labelSelector: string; name?: string }
  /** The CSI driver's detach of this PVC's volume fails, so the Linode volume stays attached. */
  | { kind: 'volume-stuck-attached'; namespace: string; pvc: string }
  /** Linode answers detach with 200 but never completes it (a volume locked on Linode's side). */
  | { kind: 'linode-detach-never-completes'; volumeLabel: string }
  /** An LKE recycle whose old Linode does not shut down cleanly: its volumes still report it (2021-07-11). */
  | { kind: 'lke-recycle-leaves-volumes' }
  /**
   * A node stops posting status: NotReady, its pods unreachable. With `untilReboot`, a reboot (or
   * any stop and start) of its Linode brings it back, as on 2021-01-10.
   */
  | { kind: 'node-not-ready'; node: string; untilReboot?: boolean }
  /**
   * Requests whose path matches `pathPattern` (a RegExp source) and method fail with `status`, with
   * probability `rate`. A 429 carries Retry-After: `retryAfterSeconds` (default 1). With `count`, the
   * fault switches itself off after failing that many requests.
   */
  | {
      kind: 'api-error';
      api: 'kubernetes' | 'linode';
      method?: string;
      pathPattern: string;
      status: number;
      rate: number;
      retryAfterSeconds?: number;
      count?: number;
    }
  /**
   * The next Kubernetes request matching `pathPattern` (and `method`) is answered 409 Conflict, as the
   * API server answers a write whose resourceVersion is stale (someone wrote in between); then the
   * fault switches itself off.
   */
  | { kind: 'conflict-once'; method?: string; pathPattern: string }
  /** Adds latency to every request of one API. */
  | { kind: 'latency'; api: 'kubernetes' | 'linode'; ms: number }
  /**
   * The volume of this PVC is attached (VolumeAttachment attached:true) but its device never
   * appears on the node: FailedMount "Unable to find device path". Also happens, without this
   * fault, whenever Linode has the volume attached to another Linode than the pod's node.
   */
  | { kind: 'volume-device-missing'; namespace: string; pvc: string }
  /** The disruption controller never allows a disruption for this PDB: every eviction gets 429. */
  | { kind: 'pdb-never-allows'; namespace: string; name: string }
  /**
   * Matching pods that exist when the fault is switched on crash-loop (CrashLoopBackOff, never
   * Ready) until they are deleted; their replacements start normally (a restart fixes them).
   */
  | { kind: 'pod-crash-loop'; namespace: string; labelSelector: string; reason?: 'Error' | 'OOMKilled' }
  /**
   * Redis in the matching pods has grown to `usedMemory` (a quantity, e.g. 1300Mi: a burst of writes,
   * no maxmemory set). Pods whose container memory limit is below it are OOM-killed by the kernel and
   * crash-loop (OOMKilled) until deleted; a replacement reloads its smaller persisted dataset and starts.
   */
  | { kind: 'redis-out-of-memory'; namespace: string; labelSelector: string; usedMemory: string }
  /**
   * Postgres in the matching pods is saturated (every slot of max_connections in use): it refuses new
   * connections with "FATAL:  sorry, too many clients already", in its own log and in the logs of the
   * pods of `clientSelector`. A matching pod gone (its connections with it) ends the fault.
   */
  | { kind: 'postgres-too-many-clients'; namespace: string; labelSelector: string; clientSelector?: string }
  /**
   * The node's kubelet reports MemoryPressure (taint node.kubernetes.io/memory-pressure:NoSchedule).
   * With `untilDrained`, the fault ends once the node runs nothing but DaemonSet pods (a drain).
   */
  | { kind: 'node-memory-pressure'; node: string; untilDrained?: boolean }
  /** Watch streams of the Kubernetes API whose path matches are cut `afterMs` real ms after they open (0: at once); with `count`, only that many. */
  | { kind: 'watch-drop'; pathPattern?: string; afterMs?: number; count?: number }
  /** Linode events with this action (e.g. volume_detach) end `failed` instead of `finished`, changing nothing. */
  | { kind: 'linode-event-fails'; action: string; entityLabel?: string }
  /** The token lacks this OAuth scope (e.g. volumes:read_write): endpoints needing it answer 401. */
  | { kind: 'linode-missing-scope'; scope: string }
  /**
   * The NodeBalancer's backends (of `port`, or of every config) report `status` (default DOWN). With
   * `whileMemoryPressure`, only while a node-memory-pressure fault lasts (2021-01-30: the pressure
   * upset its configuration; the cluster's next update set it right).
   */
  | {
      kind: 'nodebalancer-backends-down';
      nodebalancer: string;
      port?: number;
      status?: 'DOWN' | 'Unknown';
      whileMemoryPressure?: boolean;
    };

export interface FaultSet {
  list(): readonly Fault[];
  add(fault: Fault): void;
  /** Switches off one fault (the same object `list()` returned). */
  remove(fault: Fault): void;
  clear(): void;
  /** Called after every change of the list. */
  onChange(listener: () => void): () => void;
}

export function createFaultSet(initial: readonly Fault[] = []): FaultSet {
  let faults = [...initial];
  let listeners: Array<() => void> = [];
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  return {
    list: () => faults,
    add: (fault) => {
      faults = [...faults, fault];
      changed();
    },
    remove: (fault) => {
      faults = faults.filter((f) => f !== fault);
      changed();
    },
    clear: () => {
      faults = [];
      changed();
    },
    onChange(listener) {
      listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
  };
}

/** The Linode side as the in-cluster controllers (the CSI driver) and scenario loading use it. */
export interface LinodeInstance {
  id: number;
  label: string;
  region: string;
  type: string;
  status: string;
  ipv4: string[];
  lke_cluster_id: number | null;
}

export interface LinodeVolume {
  id: number;
  label: string;
  region: string;
  size: number;
  status: string;
  linode_id: number | null;
  linode_label: string | null;
  filesystem_path: string;
}

/** A Linode account event read from a live account, for the dry-run twin. */
export interface LinodeEventSeed {
  id: number;
  action: string;
  /** Epoch ms. */
  created: number;
  status: 'scheduled' | 'started' | 'finished' | 'failed' | 'notification';
  percentComplete: number;
  entity: { id: number; label: string; type: string } | null;
  secondaryEntity: { id: number; label: string; type: string } | null;
  username: string;
}

export type LinodeResult = { ok: true } | { ok: false; status: number; reason: string; field?: string };

export interface LinodeWorld {
  readonly token: string;
  readonly region: string;
  createInstance(input: {
    label: string;
    type?: string;
    ipv4: string;
    lkeClusterId?: number;
  }): LinodeInstance;
  createVolume(input: { label: string; size: number; linodeId?: number | null }): LinodeVolume;
  createLkeCluster(input: { label: string; k8sVersion: string }): { id: number };
  addLkePool(
    clusterId: number,
    input: { type: string; linodeIds: number[] },
  ): { id: number; nodeIds: string[] };
  instance(id: number): LinodeInstance | undefined;
  volume(id: number): LinodeVolume | undefined;
  volumeByLabel(label: string): LinodeVolume | undefined;
  /** Same rules and events as POST /v4/volumes/{id}/attach. */
  attachVolume(volumeId: number, linodeId: number): LinodeResult;
  /** Same rules and events as POST /v4/volumes/{id}/detach; completes later on the clock. */
  detachVolume(volumeId: number): LinodeResult;
  /** Same rules and events as DELETE /v4/volumes/{id}: refused while the volume is attached. */
  deleteVolume(volumeId: number): LinodeResult;
  /** Puts a Linode read from a live account into this world as it is (the dry-run twin). */
  restoreInstance(instance: LinodeInstance): void;
  /** Puts a volume read from a live account into this world as it is (the dry-run twin). */
  restoreVolume(volume: LinodeVolume): void;
  /**
   * Puts an account event read from a live account into this world (the dry-run twin). A
   * volume_detach still under way carries on and completes on this world's clock, as it will live.
   */
  restoreEvent(event: LinodeEventSeed): void;
  /**
   * Scenario set-up: a recycle already over. The LKE node behind `linodeId` runs on a new Linode
   * (same label, returned); with `volumesStayAttached` the old one's volumes still report it.
   */
  replaceNodeLinode(linodeId: number, options: { volumesStayAttached: boolean }): LinodeInstance;
  /** The dry-run twin: an LKE node read from a live account, with its live ids. */
  restoreLkeNode(input: {
    clusterId: number;
    poolId: number;
    nodeId: string;
    instanceId: number;
    type: string;
  }): void;
  /** The Linode an LKE recycle (requested over the API) put in place of `linodeId`, if any. */
  replacementOf(linodeId: number): number | undefined;
  /** Scenario set-up: a NodeBalancer with configs and backends (status `Unknown` unless given). */
  createNodeBalancer(input: {
    label: string;
    ipv4: string;
    lkeClusterId?: number;
    configs: Array<{
      port: number;
      protocol?: 'http' | 'https' | 'tcp' | 'udp';
      nodes: Array<{ label: string; address: string; status?: 'UP' | 'DOWN' | 'Unknown' }>;
    }>;
  }): { id: number };
  /** The cloud controller's view of the NodeBalancers: label, address, and each config's backends. */
  nodeBalancers(): ReadonlyArray<{
    id: number;
    label: string;
    ipv4: string;
    hostname: string;
    configs: Array<{ port: number; addresses: string[] }>;
  }>;
  /** The cloud controller: creates the NodeBalancer with this label, or brings configs and nodes in step. */
  putNodeBalancer(input: {
    label: string;
    tags: string[];
    lkeClusterId: number;
    /** New connections per second per client; the CCM's default is 20. */
    clientConnThrottle?: number;
    configs: Array<{
      port: number;
      /** From the Service port's protocol or the CCM's protocol annotations; tcp when absent. */
      protocol?: 'http' | 'https' | 'tcp' | 'udp';
      nodes: Array<{ label: string; address: string; status: 'UP' | 'DOWN' | 'Unknown' }>;
    }>;
  }): { id: number; ipv4: string; hostname: string };
  /** The cloud controller: deletes the NodeBalancer with this label (false when there is none). */
  deleteNodeBalancer(label: string): boolean;
  /** Account events, oldest first, as GET /account/events reports them (for `recovered` checks). */
  events(): ReadonlyArray<{
    id: number;
    action: string;
    status: string;
    entity: { id: number; type: string };
  }>;
  /** Called after every change, for controllers that wait on Linode state. */
  onChange(listener: () => void): () => void;
  /** JSON of every Linode object, for GET /_sim/state. */
  snapshot(): unknown;
}

export interface KubeWorld {
  /** Creates an object as the API would (uid, resourceVersion, defaults) and lets controllers react. */
  create(object: KubeObject): KubeObject;
  /**
   * Puts an object read from a live cluster into the store as it is (uid, owners, status kept), for
   * the dry-run twin; controllers then carry on from that state.
   */
  restore(object: KubeObject): KubeObject;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** The current global resourceVersion: it moves with every write. */
  resourceVersion(): number;
  /** JSON of every object, for GET /_sim/state. */
  snapshot(): unknown;
}

export interface SimWorld {
  readonly clock: SimClock;
  readonly faults: FaultSet;
  readonly linode: LinodeWorld;
  readonly kube: KubeWorld;
}
