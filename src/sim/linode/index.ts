// The simulated Linode API v4: createLinodeSim wires the state, the in-process LinodeWorld methods
// (used by the Kubernetes side's CSI driver and by scenarios) and the HTTP handler together.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import type { SimClock } from '../clock.js';
import type { FaultSet, LinodeResult, LinodeVolume, LinodeWorld } from '../world.js';
import { createHandler } from './http.js';
import { createInstanceRecord, toWorldInstance } from './instances.js';
import { addPool, createCluster, replaceNodeLinode, restoreLkeNode } from './lke.js';
import {
  createNodeBalancer,
  setNodeBalancerNodeStatus,
  type CreatedNodeBalancer,
  type NodeBalancerInput,
} from './nodebalancers.js';
import { deleteNodeBalancerByLabel, putNodeBalancer, summarize } from './ccm-nodebalancers.js';
import { createRoutes } from './routes.js';
import { createStore, type NbNodeStatus, type Store, type VolumeRecord } from './store.js';
import { snapshotOf } from './snapshot.js';
import { volumeView } from './views.js';
import { attachVolume, continueDetach, deleteVolume, detachVolume } from './volumes.js';
import { entity } from './events.js';

export type { CreatedNodeBalancer, NodeBalancerInput, NbNodeStatus };

export interface LinodeSimOptions {
  clock: SimClock;
  faults: FaultSet;
  region?: string;
  token?: string;
  /** Simulated ms from a detach request until linode_id is null (default 5000). */
  detachDelayMs?: number;
  /** Simulated ms from an attach until its event finishes and io_ready is true (default 3000). */
  attachDelayMs?: number;
  /** Simulated ms a boot, reboot or shutdown takes (default 20000). */
  powerDelayMs?: number;
  /** Simulated ms an LKE node recycle takes, old Linode deleted at 40%, replacement at 60% (default 120000). */
  recycleDelayMs?: number;
}

export interface LinodeSim extends LinodeWorld {
  /** Serves one HTTP request whose path starts with /v4/ or /v4beta/ (reads the body itself). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Scenario set-up: a NodeBalancer with configs and backends (status `Unknown` unless given). */
  createNodeBalancer(input: NodeBalancerInput): CreatedNodeBalancer;
  /** Sets a NodeBalancer backend's status; the config's nodes_status follows after a check delay. */
  setNodeBalancerNodeStatus(nodeId: number, status: NbNodeStatus): void;
}

function toWorldVolume(store: Store, volume: VolumeRecord): LinodeVolume {
  const view = volumeView(store, volume);
  return {
    id: volume.id,
    label: volume.label,
    region: volume.region,
    size: volume.size,
    status: volume.status,
    linode_id: volume.linodeId,
    linode_label: view['linode_label'] as string | null,
    filesystem_path: view['filesystem_path'] as string,
  };
}

export function createLinodeSim(options: LinodeSimOptions): LinodeSim {
  const token = options.token ?? randomBytes(24).toString('hex');
  const store = createStore({
    clock: options.clock,
    faults: options.faults,
    region: options.region ?? 'eu-central',
    username: 'pydis-devops',
    delays: {
      attachMs: options.attachDelayMs ?? 3000,
      detachMs: options.detachDelayMs ?? 5000,
      powerMs: options.powerDelayMs ?? 20_000,
      recycleMs: options.recycleDelayMs ?? 120_000,
      nbCheckMs: 10_000,
    },
  });
  const handle = createHandler(store, createRoutes(store), token);

  const volumeLabelPattern = /^[a-zA-Z]((?!--|__)[a-zA-Z0-9-_])+$/;

  return {
    token,
    region: store.region,
    handle,
    createInstance(input) {
      const linode = createInstanceRecord(store, input);
      store.changed();
      return toWorldInstance(linode);
    },
    createVolume(input) {
      if (input.label.length > 32 || !volumeLabelPattern.test(input.label)) {
        throw new Error(`linode sim: invalid volume label ${input.label}`);
      }
      if ([...store.volumes.values()].some((v) => v.label === input.label)) {
        throw new Error(`linode sim: a volume labelled ${input.label} already exists`);
      }
      const linodeId = input.linodeId ?? null;
      if (linodeId !== null && !store.instances.has(linodeId)) {
        throw new Error(`linode sim: no Linode ${linodeId} to attach volume ${input.label} to`);
      }
      const now = store.clock.nowMs();
      const volume: VolumeRecord = {
        id: store.nextId('volume'),
        label: input.label,
        region: store.region,
        size: input.size,
        status: 'active',
        linodeId,
        hardwareType: 'nvme',
        encryption: 'disabled',
        tags: [],
        created: now,
        updated: now,
        ioReady: linodeId !== null,
        detachEventId: undefined,
      };
      store.volumes.set(volume.id, volume);
      store.changed();
      return toWorldVolume(store, volume);
    },
    restoreInstance(input) {
      const now = store.clock.nowMs();
      store.reserveId('instance', input.id);
      store.instances.set(input.id, {
        id: input.id,
        label: input.label,
        region: input.region,
        type: input.type,
        status: input.status,
        ipv4: [...input.ipv4],
        lkeClusterId: input.lke_cluster_id,
        tags: [],
        group: '',
        image: null,
        created: now,
        updated: now,
        configId: store.nextId('config'),
        busy: undefined,
      });
      store.changed();
    },
    restoreVolume(input) {
      const now = store.clock.nowMs();
      store.reserveId('volume', input.id);
      store.volumes.set(input.id, {
        id: input.id,
        label: input.label,
        region: input.region,
        size: input.size,
        status: input.status,
        linodeId: input.linode_id,
        hardwareType: 'nvme',
        encryption: 'disabled',
        tags: [],
        created: now,
        updated: now,
        ioReady: input.linode_id !== null,
        detachEventId: undefined,
      });
      store.changed();
    },
    restoreEvent(input) {
      store.reserveId('event', input.id);
      const subject = input.entity ?? { id: 0, label: '', type: 'account' };
      const event = {
        id: input.id,
        action: input.action,
        created: input.created,
        finished: input.status === 'scheduled' || input.status === 'started' ? undefined : input.created,
        entity: entity(subject.type, subject.id, subject.label),
        secondaryEntity:
          input.secondaryEntity === null
            ? null
            : entity(input.secondaryEntity.type, input.secondaryEntity.id, input.secondaryEntity.label),
        status: input.status,
        percentComplete: input.percentComplete,
        username: input.username,
        read: true,
        seen: true,
        resume: undefined,
      };
      store.events.set(event.id, event);
      if (event.action === 'volume_detach' && event.finished === undefined) continueDetach(store, event);
      store.changed();
    },
    createLkeCluster(input) {
      const cluster = createCluster(store, input);
      store.changed();
      return { id: cluster.id };
    },
    addLkePool(clusterId, input) {
      const pool = addPool(store, clusterId, input);
      store.changed();
      return { id: pool.id, nodeIds: pool.nodes.map((n) => n.id) };
    },
    createNodeBalancer: (input) => createNodeBalancer(store, input),
    nodeBalancers: () => [...store.nodeBalancers.values()].map((nb) => summarize(store, nb)),
    putNodeBalancer: (input) => putNodeBalancer(store, input),
    deleteNodeBalancer: (label) => deleteNodeBalancerByLabel(store, label),
    restoreLkeNode: (input) => restoreLkeNode(store, input),
    replacementOf(linodeId) {
      let id = store.replacedBy.get(linodeId);
      for (let hops = 0; id !== undefined && hops < 100; hops++) {
        const next = store.replacedBy.get(id);
        if (next === undefined) return id;
        id = next;
      }
      return id;
    },
    replaceNodeLinode: (linodeId, options) => toWorldInstance(replaceNodeLinode(store, linodeId, options)),
    events: () =>
      [...store.events.values()]
        .sort((a, b) => a.id - b.id)
        .map((e) => ({
          id: e.id,
          action: e.action,
          status: e.status,
          entity: { id: e.entity.id, type: e.entity.type },
        })),
    setNodeBalancerNodeStatus: (nodeId, status) => setNodeBalancerNodeStatus(store, nodeId, status),
    instance(id) {
      const linode = store.instances.get(id);
      return linode === undefined ? undefined : toWorldInstance(linode);
    },
    volume(id) {
      const volume = store.volumes.get(id);
      return volume === undefined ? undefined : toWorldVolume(store, volume);
    },
    volumeByLabel(label) {
      const volume = [...store.volumes.values()].find((v) => v.label === label);
      return volume === undefined ? undefined : toWorldVolume(store, volume);
    },
    attachVolume: (volumeId, linodeId): LinodeResult => attachVolume(store, volumeId, { linodeId }),
    detachVolume: (volumeId): LinodeResult => detachVolume(store, volumeId),
    deleteVolume: (volumeId): LinodeResult => deleteVolume(store, volumeId),
    onChange: (listener) => store.onChange(listener),
    snapshot: () => snapshotOf(store),
  };
}
