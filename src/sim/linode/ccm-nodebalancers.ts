// What LKE's cloud controller does to NodeBalancers over the Linode API, in-process: create one for a
// Service of type LoadBalancer, keep its configs (one per port) and nodes (one per cluster node) in
// step, delete it with the Service. Recorded as the account events the real API records. What it
// asks for follows linode-cloud-controller-manager: throttle 20, and per config the protocol, health
// check and stickiness it picks (UDP: no check, no passive check, session stickiness, check port 80).
import { entity, recordNotification } from './events.js';
import type {
  NbConfigRecord,
  NbConfigSettings,
  NbNodeRecord,
  NbNodeStatus,
  NbProtocol,
  NodeBalancerRecord,
  Store,
} from './store.js';
import { nodeBalancerView } from './views.js';

export interface WantedNodeBalancer {
  label: string;
  tags: string[];
  lkeClusterId: number;
  clientConnThrottle?: number;
  configs: Array<{
    port: number;
    protocol?: NbProtocol;
    nodes: Array<{ label: string; address: string; status: NbNodeStatus }>;
  }>;
}

/** The CCM's connection throttle when the Service's annotation sets none. */
export const CCM_DEFAULT_THROTTLE = 20;

/** The config settings the CCM sends for a protocol when the Service's annotations say nothing. */
export function ccmConfigSettings(protocol: NbProtocol): NbConfigSettings {
  const udp = protocol === 'udp';
  return {
    algorithm: 'roundrobin',
    // The CCM leaves TCP stickiness to the API's default; HTTP(S) get table, UDP session.
    ...(udp ? { stickiness: 'session' } : protocol === 'tcp' ? {} : { stickiness: 'table' }),
    check: udp ? 'none' : 'connection',
    checkInterval: 5,
    checkTimeout: 3,
    checkAttempts: 2,
    checkPassive: !udp,
    proxyProtocol: 'none',
    ...(udp ? { udpCheckPort: 80 } : {}),
  };
}

/** NodeBalancer backend labels are 3 to 32 characters: the CCM pads short node names with "node-". */
function backendLabel(name: string): string {
  let label = name;
  while (label.length < 3) label = `node-${label}`;
  return label.slice(0, 32);
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
        label: backendLabel(want.label),
        address: want.address,
        status: want.status,
        weight: 100,
        // The CCM sets no mode on a UDP config's backends.
        mode: config.protocol === 'udp' ? 'none' : 'accept',
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
      clientConnThrottle: wanted.clientConnThrottle ?? CCM_DEFAULT_THROTTLE,
      clientUdpSessThrottle: 0,
      created: now,
      updated: now,
      configs: [],
    };
    store.nodeBalancers.set(id, nb);
    note(store, 'nodebalancer_create', nb);
  }
  let changed = false;
  const throttle = wanted.clientConnThrottle ?? CCM_DEFAULT_THROTTLE;
  if (nb.clientConnThrottle !== throttle) {
    nb.clientConnThrottle = throttle;
    changed = true;
  }
  const configs: NbConfigRecord[] = [];
  for (const want of wanted.configs) {
    const protocol = want.protocol ?? 'tcp';
    let config = nb.configs.find((c) => c.port === want.port);
    if (config === undefined) {
      config = {
        id: store.nextId('nbconfig'),
        port: want.port,
        protocol,
        settings: ccmConfigSettings(protocol),
        nodes: [],
        nodesStatus: { up: 0, down: 0 },
      };
      note(store, 'nodebalancer_config_create', nb);
      changed = true;
    } else if (config.protocol !== protocol) {
      // The CCM rebuilds the port's config with the new protocol's settings and backends.
      config.protocol = protocol;
      config.settings = ccmConfigSettings(protocol);
      config.nodes = [];
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
