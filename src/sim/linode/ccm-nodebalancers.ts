// What LKE's cloud controller does to NodeBalancers over the Linode API, in-process: create one for a
// Service of type LoadBalancer, keep its configs (one per port) and nodes (one per cluster node) in
// step, delete it with the Service. Recorded as the account events the real API records.
import { entity, recordNotification } from './events.js';
import type { NbConfigRecord, NbNodeRecord, NbNodeStatus, NodeBalancerRecord, Store } from './store.js';
import { nodeBalancerView } from './views.js';

export interface WantedNodeBalancer {
  label: string;
  tags: string[];
  lkeClusterId: number;
  configs: Array<{ port: number; nodes: Array<{ label: string; address: string; status: NbNodeStatus }> }>;
}

export interface NodeBalancerSummary {
  id: number;
  label: string;
  ipv4: string;
  hostname: string;
  configs: Array<{ port: number; addresses: string[] }>;
}

export function summarize(store: Store, nb: NodeBalancerRecord): NodeBalancerSummary {
  return {
    id: nb.id,
    label: nb.label,
    ipv4: nb.ipv4,
    hostname: nodeBalancerView(store, nb)['hostname'] as string,
    configs: nb.configs.map((c) => ({ port: c.port, addresses: c.nodes.map((n) => n.address) })),
  };
}

const countStatus = (config: NbConfigRecord): { up: number; down: number } => {
  const up = config.nodes.filter((n) => n.status === 'UP').length;
  return { up, down: config.nodes.length - up };
};

/** A public address in a Linode range, one per NodeBalancer id. */
const publicIpv4 = (id: number): string => `139.144.${(id >> 8) & 0xff}.${id & 0xff}`;

function note(store: Store, action: string, nb: NodeBalancerRecord): void {
  recordNotification(store, { action, entity: entity('nodebalancer', nb.id, nb.label) });
}

function syncNodes(
  store: Store,
  config: NbConfigRecord,
  wanted: WantedNodeBalancer['configs'][number],
): boolean {
  let changed = false;
  const kept: NbNodeRecord[] = [];
  for (const want of wanted.nodes) {
    const node = config.nodes.find((n) => n.address === want.address);
    if (node === undefined) {
      kept.push({
        id: store.nextId('nbnode'),
        label: want.label,
        address: want.address,
        status: want.status,
        weight: 100,
        mode: 'accept',
      });
      changed = true;
    } else {
      if (node.status !== want.status) {
        node.status = want.status;
        changed = true;
      }
      kept.push(node);
    }
  }
  if (kept.length !== config.nodes.length) changed = true;
  config.nodes = kept;
  return changed;
}

/** Creates the NodeBalancer labelled `wanted.label`, or brings its configs and nodes in step. */
export function putNodeBalancer(store: Store, wanted: WantedNodeBalancer): NodeBalancerSummary {
  const now = store.clock.nowMs();
  let nb = [...store.nodeBalancers.values()].find((n) => n.label === wanted.label);
  if (nb === undefined) {
    const id = store.nextId('nodebalancer');
    nb = {
      id,
      label: wanted.label,
      region: store.region,
      ipv4: publicIpv4(id),
      ipv6: `2a01:7e01:1::${(id & 0xffff).toString(16)}`,
      lkeClusterId: wanted.lkeClusterId,
      tags: [...wanted.tags],
      created: now,
      updated: now,
      configs: [],
    };
    store.nodeBalancers.set(id, nb);
    note(store, 'nodebalancer_create', nb);
  }
  let changed = false;
  const configs: NbConfigRecord[] = [];
  for (const want of wanted.configs) {
    let config = nb.configs.find((c) => c.port === want.port);
    if (config === undefined) {
      config = {
        id: store.nextId('nbconfig'),
        port: want.port,
        protocol: 'tcp',
        nodes: [],
        nodesStatus: { up: 0, down: 0 },
      };
      note(store, 'nodebalancer_config_create', nb);
      changed = true;
    }
    if (syncNodes(store, config, want)) {
      changed = true;
      const target = config;
      // Health checks notice a backend's new state after a delay, as with setNodeBalancerNodeStatus.
      store.clock.after(store.delays.nbCheckMs, () => {
        target.nodesStatus = countStatus(target);
        store.changed();
      });
    }
    configs.push(config);
  }
  if (configs.length !== nb.configs.length) changed = true;
  nb.configs = configs;
  if (changed) {
    nb.updated = now;
    note(store, 'nodebalancer_config_update', nb);
    store.changed();
  }
  return summarize(store, nb);
}

export function deleteNodeBalancerByLabel(store: Store, label: string): boolean {
  const nb = [...store.nodeBalancers.values()].find((n) => n.label === label);
  if (nb === undefined) return false;
  store.nodeBalancers.delete(nb.id);
  note(store, 'nodebalancer_delete', nb);
  store.changed();
  return true;
}
