// NodeBalancers for scenarios: configs and backend nodes whose status starts `Unknown` (the real
// API's spelling) and whose config nodes_status catches up after a health-check delay.
import type { NbConfigRecord, NbNodeStatus, NbProtocol, NodeBalancerRecord, Store } from './store.js';

export interface NodeBalancerInput {
  label: string;
  ipv4: string;
  lkeClusterId?: number;
  configs: Array<{
    port: number;
    protocol?: NbProtocol;
    nodes: Array<{ label: string; address: string; status?: NbNodeStatus }>;
  }>;
}

export interface CreatedNodeBalancer {
  id: number;
  configs: Array<{ id: number; port: number; nodeIds: number[] }>;
}

function countStatus(config: NbConfigRecord): { up: number; down: number } {
  const up = config.nodes.filter((n) => n.status === 'UP').length;
  return { up, down: config.nodes.length - up };
}

export function createNodeBalancer(store: Store, input: NodeBalancerInput): CreatedNodeBalancer {
  const now = store.clock.nowMs();
  const id = store.nextId('nodebalancer');
  const configs: NbConfigRecord[] = input.configs.map((c) => {
    const config: NbConfigRecord = {
      id: store.nextId('nbconfig'),
      port: c.port,
      protocol: c.protocol ?? 'tcp',
      nodes: c.nodes.map((n) => ({
        id: store.nextId('nbnode'),
        label: n.label,
        address: n.address,
        status: n.status ?? 'Unknown',
        weight: 100,
        mode: c.protocol === 'udp' ? 'none' : 'accept',
      })),
      nodesStatus: { up: 0, down: 0 },
    };
    config.nodesStatus = countStatus(config);
    return config;
  });
  const nb: NodeBalancerRecord = {
    id,
    label: input.label,
    region: store.region,
    ipv4: input.ipv4,
    ipv6: `2a01:7e01:1::${(id & 0xffff).toString(16)}`,
    lkeClusterId: input.lkeClusterId ?? null,
    tags: [],
    created: now,
    updated: now,
    configs,
  };
  store.nodeBalancers.set(id, nb);
  store.changed();
  return { id, configs: configs.map((c) => ({ id: c.id, port: c.port, nodeIds: c.nodes.map((n) => n.id) })) };
}

/** The status a nodebalancer-backends-down fault forces on this config's backends, if any. */
export function faultedBackendStatus(
  store: Store,
  nb: NodeBalancerRecord,
  config: NbConfigRecord,
): NbNodeStatus | undefined {
  const faults = store.faults.list();
  const pressure = faults.some((f) => f.kind === 'node-memory-pressure');
  for (const fault of faults)
    if (
      fault.kind === 'nodebalancer-backends-down' &&
      fault.nodebalancer === nb.label &&
      (fault.port === undefined || fault.port === config.port) &&
      (fault.whileMemoryPressure !== true || pressure)
    )
      return fault.status ?? 'DOWN';
  return undefined;
}

/** Sets a backend's status now; the config's nodes_status follows after `delays.nbCheckMs`. */
export function setNodeBalancerNodeStatus(store: Store, nodeId: number, status: NbNodeStatus): void {
  for (const nb of store.nodeBalancers.values()) {
    for (const config of nb.configs) {
      const node = config.nodes.find((n) => n.id === nodeId);
      if (node === undefined) continue;
      node.status = status;
      store.changed();
      store.clock.after(store.delays.nbCheckMs, () => {
        config.nodesStatus = countStatus(config);
        store.changed();
      });
      return;
    }
  }
  throw new Error(`linode sim: no NodeBalancer node ${nodeId}`);
}
