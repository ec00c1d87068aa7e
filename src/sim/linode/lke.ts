// LKE clusters and node pools, and node recycle: the node goes not_ready, its Linode is deleted
// (auto-detaching its volumes), a replacement is provisioned, and the node is ready again.
import { entity, startEvent } from './events.js';
import { nodeHex } from './format.js';
import { createInstanceRecord, deleteInstance } from './instances.js';
import { REASON } from './reasons.js';
import { apiError, ok, type Reply } from './reply.js';
import type { ClusterRecord, InstanceRecord, LkeNodeRecord, PoolRecord, Store } from './store.js';

export function createCluster(store: Store, input: { label: string; k8sVersion: string }): ClusterRecord {
  const now = store.clock.nowMs();
  const cluster: ClusterRecord = {
    id: store.nextId('cluster'),
    label: input.label,
    region: store.region,
    k8sVersion: input.k8sVersion,
    tags: [],
    created: now,
    updated: now,
    highAvailability: false,
  };
  store.clusters.set(cluster.id, cluster);
  return cluster;
}

function newNodeId(store: Store, poolId: number): string {
  return `${poolId}-${nodeHex(store.nextId('node'))}`;
}

export function addPool(
  store: Store,
  clusterId: number,
  input: { type: string; linodeIds: number[] },
): PoolRecord {
  const cluster = store.clusters.get(clusterId);
  if (cluster === undefined) throw new Error(`linode sim: no LKE cluster ${clusterId}`);
  const poolId = store.nextId('pool');
  const nodes: LkeNodeRecord[] = input.linodeIds.map((linodeId) => {
    const linode = store.instances.get(linodeId);
    if (linode === undefined)
      throw new Error(`linode sim: no Linode ${linodeId} for pool of cluster ${clusterId}`);
    linode.lkeClusterId = clusterId;
    linode.type = input.type;
    return { id: newNodeId(store, poolId), instanceId: linodeId, status: 'ready', recycleEventId: undefined };
  });
  const pool: PoolRecord = { id: poolId, clusterId, type: input.type, nodes, tags: [] };
  store.pools.set(pool.id, pool);
  return pool;
}

export function poolsOf(store: Store, clusterId: number): PoolRecord[] {
  return [...store.pools.values()].filter((p) => p.clusterId === clusterId);
}

export function findNode(
  store: Store,
  clusterId: number,
  nodeId: string,
): { pool: PoolRecord; node: LkeNodeRecord } | undefined {
  for (const pool of poolsOf(store, clusterId)) {
    const node = pool.nodes.find((n) => n.id === nodeId);
    if (node !== undefined) return { pool, node };
  }
  return undefined;
}

/**
 * Recycle one node. The node keeps its id (whether the real one does is unverified); its Linode is
 * replaced by a new one labelled lke<cluster>-<pool>-<hex>. A recycle already running answers 200 {}.
 */
export function recycleNode(store: Store, clusterId: number, nodeId: string): Reply {
  const cluster = store.clusters.get(clusterId);
  const found = cluster === undefined ? undefined : findNode(store, clusterId, nodeId);
  if (cluster === undefined || found === undefined) return apiError(404, REASON.notFound);
  const { pool, node } = found;
  if (node.recycleEventId !== undefined) return ok({});
  const oldLinodeId = node.instanceId;
  node.status = 'not_ready';
  const old = oldLinodeId === null ? undefined : store.instances.get(oldLinodeId);
  if (old !== undefined) {
    old.status = 'shutting_down';
    old.updated = store.clock.nowMs();
  }
  const event = startEvent(
    store,
    {
      action: 'lke_node_recycle',
      entity: entity('lkecluster', cluster.id, cluster.label),
      secondaryEntity: null,
    },
    {
      durationMs: store.delays.recycleMs,
      milestones: [
        {
          at: 0.4,
          run: () => {
            // An unclean end (fault) leaves the old Linode's volumes reporting it, as on 2021-07-11.
            const unclean = store.faults.list().some((f) => f.kind === 'lke-recycle-leaves-volumes');
            if (oldLinodeId !== null && unclean) store.instances.delete(oldLinodeId);
            else if (oldLinodeId !== null) deleteInstance(store, oldLinodeId);
            node.instanceId = null;
          },
        },
        {
          at: 0.6,
          run: () => {
            const replacement = createInstanceRecord(store, {
              label: `lke${cluster.id}-${pool.id}-${nodeHex(store.nextId('node')).slice(0, 8)}`,
              type: pool.type,
              lkeClusterId: cluster.id,
              status: 'provisioning',
            });
            node.instanceId = replacement.id;
            if (oldLinodeId !== null) store.replacedBy.set(oldLinodeId, replacement.id);
          },
        },
        {
          at: 0.8,
          run: () => {
            const replacement = node.instanceId === null ? undefined : store.instances.get(node.instanceId);
            if (replacement !== undefined) replacement.status = 'booting';
          },
        },
      ],
      onFinish: () => {
        const replacement = node.instanceId === null ? undefined : store.instances.get(node.instanceId);
        if (replacement !== undefined) {
          replacement.status = 'running';
          replacement.updated = store.clock.nowMs();
        }
        node.status = 'ready';
        node.recycleEventId = undefined;
      },
    },
  );
  node.recycleEventId = event.id;
  store.changed();
  return ok({});
}

/**
 * Scenario set-up: the recycle of the night, already over. The LKE node is backed by a new running
 * Linode with the same label; the old one is gone. With `volumesStayAttached` the old Linode's
 * volumes still report it (an unclean shutdown, as on 2021-07-11), instead of being detached.
 */
export function replaceNodeLinode(
  store: Store,
  linodeId: number,
  options: { volumesStayAttached: boolean; ipv4?: string },
): InstanceRecord {
  const old = store.instances.get(linodeId);
  if (old === undefined) throw new Error(`linode sim: no Linode ${linodeId} to recycle`);
  let found: { pool: PoolRecord; node: LkeNodeRecord } | undefined;
  for (const pool of store.pools.values()) {
    const node = pool.nodes.find((n) => n.instanceId === linodeId);
    if (node !== undefined) found = { pool, node };
  }
  if (options.volumesStayAttached) store.instances.delete(linodeId);
  else deleteInstance(store, linodeId);
  const replacement = createInstanceRecord(store, {
    label: old.label,
    type: old.type,
    ...(old.lkeClusterId === null ? {} : { lkeClusterId: old.lkeClusterId }),
    ...(options.ipv4 === undefined ? {} : { ipv4: options.ipv4 }),
    status: 'running',
  });
  if (found !== undefined) {
    found.node.instanceId = replacement.id;
    const cluster = store.clusters.get(found.pool.clusterId);
    if (cluster !== undefined) {
      const event = startEvent(
        store,
        {
          action: 'lke_node_recycle',
          entity: entity('lkecluster', cluster.id, cluster.label),
          secondaryEntity: null,
        },
        { durationMs: 0 },
      );
      event.status = 'finished';
      event.percentComplete = 100;
      event.finished = store.clock.nowMs();
    }
  }
  store.changed();
  return replacement;
}

/**
 * The dry-run twin: the LKE node behind a Linode read from a live account, with the live ids (an LKE
 * Linode is labelled lke<cluster>-<pool>-<hex>, its node id is <pool>-<hex>), so a planned recycle
 * names the node it would name live. The cluster and pool are created on first use.
 */
export function restoreLkeNode(
  store: Store,
  input: { clusterId: number; poolId: number; nodeId: string; instanceId: number; type: string },
): void {
  store.reserveId('cluster', input.clusterId);
  store.reserveId('pool', input.poolId);
  if (!store.clusters.has(input.clusterId)) {
    const now = store.clock.nowMs();
    store.clusters.set(input.clusterId, {
      id: input.clusterId,
      label: `lke${input.clusterId}`,
      region: store.region,
      k8sVersion: '1.32',
      tags: [],
      created: now,
      updated: now,
      highAvailability: false,
    });
  }
  let pool = store.pools.get(input.poolId);
  if (pool === undefined) {
    pool = { id: input.poolId, clusterId: input.clusterId, type: input.type, nodes: [], tags: [] };
    store.pools.set(pool.id, pool);
  }
  if (!pool.nodes.some((n) => n.id === input.nodeId))
    pool.nodes.push({
      id: input.nodeId,
      instanceId: input.instanceId,
      status: 'ready',
      recycleEventId: undefined,
    });
  store.changed();
}
