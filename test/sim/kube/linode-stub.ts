// A tiny in-memory LinodeWorld for the Kubernetes simulator's tests: instances and volumes in
// maps, attach at once, detach completing on the simulated clock. (The real one is src/sim/linode.)
import type { SimClock } from '../../../src/sim/clock.js';
import type { LinodeInstance, LinodeResult, LinodeVolume, LinodeWorld } from '../../../src/sim/world.js';

export interface LinodeStub extends LinodeWorld {
  readonly calls: string[];
}

export function createLinodeStub(clock: SimClock, options: { detachMs?: number } = {}): LinodeStub {
  const instances = new Map<number, LinodeInstance>();
  const volumes = new Map<number, LinodeVolume>();
  const listeners = new Set<() => void>();
  const calls: string[] = [];
  let nextId = 1000;
  const changed = (): void => {
    for (const l of [...listeners]) l();
  };

  return {
    token: 'stub-token',
    region: 'us-east',
    calls,
    createInstance(input) {
      const instance: LinodeInstance = {
        id: (nextId += 1),
        label: input.label,
        region: 'us-east',
        type: input.type ?? 'g6-standard-2',
        status: 'running',
        ipv4: [input.ipv4],
        lke_cluster_id: input.lkeClusterId ?? null,
      };
      instances.set(instance.id, instance);
      changed();
      return { ...instance };
    },
    createVolume(input) {
      calls.push(`createVolume ${input.label} ${input.size}`);
      const id = (nextId += 1);
      const linodeId = input.linodeId ?? null;
      const volume: LinodeVolume = {
        id,
        label: input.label,
        region: 'us-east',
        size: input.size,
        status: 'active',
        linode_id: linodeId,
        linode_label: linodeId === null ? null : (instances.get(linodeId)?.label ?? null),
        filesystem_path: `/dev/disk/by-id/scsi-0Linode_Volume_${input.label}`,
      };
      volumes.set(id, volume);
      changed();
      return { ...volume };
    },
    restoreInstance(instance) {
      instances.set(instance.id, { ...instance });
      changed();
    },
    restoreVolume(volume) {
      volumes.set(volume.id, { ...volume });
      changed();
    },
    restoreEvent: () => undefined,
    createLkeCluster: () => ({ id: 1 }),
    addLkePool: () => ({ id: 1, nodeIds: [] }),
    instance: (id) => {
      const i = instances.get(id);
      return i === undefined ? undefined : { ...i };
    },
    volume: (id) => {
      const v = volumes.get(id);
      return v === undefined ? undefined : { ...v };
    },
    volumeByLabel: (label) => {
      const v = [...volumes.values()].find((x) => x.label === label);
      return v === undefined ? undefined : { ...v };
    },
    attachVolume(volumeId, linodeId): LinodeResult {
      calls.push(`attach ${volumeId} ${linodeId}`);
      const v = volumes.get(volumeId);
      const i = instances.get(linodeId);
      if (v === undefined || i === undefined) return { ok: false, status: 404, reason: 'Not found' };
      if (v.linode_id !== null && v.linode_id !== linodeId)
        return { ok: false, status: 400, reason: `Volume ${volumeId} is already attached to a Linode` };
      v.linode_id = linodeId;
      v.linode_label = i.label;
      changed();
      return { ok: true };
    },
    detachVolume(volumeId): LinodeResult {
      calls.push(`detach ${volumeId}`);
      const v = volumes.get(volumeId);
      if (v === undefined) return { ok: false, status: 404, reason: 'Not found' };
      clock.after(options.detachMs ?? 3_000, () => {
        v.linode_id = null;
        v.linode_label = null;
        changed();
      });
      return { ok: true };
    },
    deleteVolume(volumeId): LinodeResult {
      calls.push(`delete ${volumeId}`);
      const v = volumes.get(volumeId);
      if (v === undefined) return { ok: false, status: 404, reason: 'Not found' };
      if (v.linode_id !== null) return { ok: false, status: 400, reason: 'Volume is attached' };
      volumes.delete(volumeId);
      changed();
      return { ok: true };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    replacementOf: () => undefined,
    restoreLkeNode: () => undefined,
    replaceNodeLinode(linodeId, options) {
      const old = instances.get(linodeId);
      if (old === undefined) throw new Error(`stub: no Linode ${linodeId}`);
      instances.delete(linodeId);
      if (!options.volumesStayAttached)
        for (const v of volumes.values())
          if (v.linode_id === linodeId) Object.assign(v, { linode_id: null, linode_label: null });
      const replacement: LinodeInstance = { ...old, id: (nextId += 1) };
      instances.set(replacement.id, replacement);
      changed();
      return { ...replacement };
    },
    createNodeBalancer: () => ({ id: (nextId += 1) }),
    nodeBalancers: () => [],
    putNodeBalancer: () => ({ id: (nextId += 1), ipv4: '139.144.0.1', hostname: 'nb-139-144-0-1.example' }),
    deleteNodeBalancer: () => false,
    events: () => [],
    snapshot: () => ({ instances: [...instances.values()], volumes: [...volumes.values()] }),
  };
}
