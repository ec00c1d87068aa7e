// The Linode side's state: plain records keyed by id, id counters and change listeners. How the
// records look on the wire lives in views.ts; how they change lives in the action modules.
import type { SimClock } from '../clock.js';
import type { FaultSet } from '../world.js';

export interface InstanceRecord {
  id: number;
  label: string;
  region: string;
  type: string;
  status: string;
  ipv4: string[];
  lkeClusterId: number | null;
  tags: string[];
  group: string;
  image: string | null;
  created: number;
  updated: number;
  /** The one configuration profile every simulated Linode has. */
  configId: number;
  /** The power action in progress: the API answers "Linode busy." until it ends. */
  busy: string | undefined;
}

export interface VolumeRecord {
  id: number;
  label: string;
  region: string;
  size: number;
  status: string;
  linodeId: number | null;
  hardwareType: 'hdd' | 'nvme';
  encryption: 'enabled' | 'disabled';
  tags: string[];
  created: number;
  updated: number;
  ioReady: boolean;
  /** The detach in progress: its event id. */
  detachEventId: number | undefined;
}

export interface LkeNodeRecord {
  id: string;
  instanceId: number | null;
  status: 'ready' | 'not_ready';
  /** The lke_node_recycle event in progress. */
  recycleEventId: number | undefined;
}

export interface PoolRecord {
  id: number;
  clusterId: number;
  type: string;
  nodes: LkeNodeRecord[];
  tags: string[];
}

export interface ClusterRecord {
  id: number;
  label: string;
  region: string;
  k8sVersion: string;
  tags: string[];
  created: number;
  updated: number;
  highAvailability: boolean;
}

export type NbNodeStatus = 'UP' | 'DOWN' | 'Unknown';

export interface NbNodeRecord {
  id: number;
  label: string;
  address: string;
  status: NbNodeStatus;
  weight: number;
  /** 'none' on a UDP config: the CCM sets no mode there, and the API reports none (a guess). */
  mode: 'accept' | 'reject' | 'drain' | 'backup' | 'none';
}

export type NbProtocol = 'http' | 'https' | 'tcp' | 'udp';

/** How a config balances and checks its backends; absent fields take the API's defaults (views.ts). */
export interface NbConfigSettings {
  algorithm?: 'roundrobin' | 'leastconn' | 'source' | 'ring_hash';
  stickiness?: 'none' | 'table' | 'http_cookie' | 'session' | 'source_ip';
  check?: 'none' | 'connection' | 'http' | 'http_body';
  checkInterval?: number;
  checkTimeout?: number;
  checkAttempts?: number;
  checkPassive?: boolean;
  checkPath?: string;
  proxyProtocol?: 'none' | 'v1' | 'v2';
  /** UDP configs: the backend port active health checks use. */
  udpCheckPort?: number;
}

export interface NbConfigRecord {
  id: number;
  port: number;
  protocol: NbProtocol;
  settings?: NbConfigSettings;
  nodes: NbNodeRecord[];
  /** As last refreshed by the (simulated) health checks: lags node status changes. */
  nodesStatus: { up: number; down: number };
}

export interface NodeBalancerRecord {
  id: number;
  label: string;
  region: string;
  ipv4: string;
  ipv6: string;
  lkeClusterId: number | null;
  tags: string[];
  /** New TCP connections per second a client may open (0: no limit); LKE's CCM asks for 20. */
  clientConnThrottle?: number;
  /** New UDP sessions per second a client may open (0: no limit). */
  clientUdpSessThrottle?: number;
  created: number;
  updated: number;
  configs: NbConfigRecord[];
}

export type EventStatus = 'scheduled' | 'started' | 'finished' | 'failed' | 'notification';

export interface EventEntity {
  id: number;
  label: string;
  type: string;
  url: string;
}

export interface EventRecord {
  id: number;
  action: string;
  created: number;
  finished: number | undefined;
  entity: EventEntity;
  secondaryEntity: EventEntity | null;
  status: EventStatus;
  percentComplete: number;
  username: string;
  read: boolean;
  seen: boolean;
  /** Set while a fault holds the event at `started`: calling it continues the event. */
  resume: (() => void) | undefined;
}

export interface Delays {
  attachMs: number;
  detachMs: number;
  powerMs: number;
  recycleMs: number;
  /** How long NodeBalancer health checks take to notice a backend's new status. */
  nbCheckMs: number;
}

type Counter =
  | 'instance'
  | 'volume'
  | 'config'
  | 'cluster'
  | 'pool'
  | 'node'
  | 'nodebalancer'
  | 'nbconfig'
  | 'nbnode'
  | 'event'
  | 'ip';

const FIRST_ID: Record<Counter, number> = {
  instance: 24_000_001,
  volume: 1_200_001,
  config: 27_000_001,
  cluster: 12_001,
  pool: 18_001,
  node: 1,
  nodebalancer: 140_001,
  nbconfig: 220_001,
  nbnode: 310_000_001,
  event: 520_000_001,
  ip: 10,
};

export interface Store {
  readonly clock: SimClock;
  readonly faults: FaultSet;
  readonly region: string;
  readonly username: string;
  readonly delays: Delays;
  readonly instances: Map<number, InstanceRecord>;
  readonly volumes: Map<number, VolumeRecord>;
  readonly clusters: Map<number, ClusterRecord>;
  readonly pools: Map<number, PoolRecord>;
  readonly nodeBalancers: Map<number, NodeBalancerRecord>;
  readonly events: Map<number, EventRecord>;
  /** Linodes an LKE recycle replaced: old id → the replacement's id. */
  readonly replacedBy: Map<number, number>;
  nextId(counter: Counter): number;
  /** An id taken from outside (a restored live object): later nextId never hands it out again. */
  reserveId(counter: Counter, id: number): void;
  /** Tells every listener that something changed. */
  changed(): void;
  onChange(listener: () => void): () => void;
}

export function createStore(options: {
  clock: SimClock;
  faults: FaultSet;
  region: string;
  username: string;
  delays: Delays;
}): Store {
  const counters = { ...FIRST_ID };
  let listeners: Array<() => void> = [];
  return {
    ...options,
    instances: new Map(),
    volumes: new Map(),
    clusters: new Map(),
    pools: new Map(),
    nodeBalancers: new Map(),
    events: new Map(),
    replacedBy: new Map(),
    nextId(counter) {
      const id = counters[counter];
      counters[counter] = id + 1;
      return id;
    },
    reserveId(counter, id) {
      if (counters[counter] <= id) counters[counter] = id + 1;
    },
    changed() {
      for (const listener of listeners) {
        try {
          listener();
        } catch (error) {
          // One broken listener must not turn a Linode request into a 500 or starve the others.
          console.error('linode sim: onChange listener failed:', error);
        }
      }
    },
    onChange(listener) {
      listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
  };
}
