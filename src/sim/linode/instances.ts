// Creating and deleting Linodes (for scenarios, and for LKE's replacement nodes).
import type { LinodeInstance } from '../world.js';
import type { InstanceRecord, Store } from './store.js';
import { DEFAULT_TYPE } from './types.js';
import { detachAllFrom } from './volumes.js';

export function createInstanceRecord(
  store: Store,
  input: { label: string; type?: string; ipv4?: string; lkeClusterId?: number; status?: string },
): InstanceRecord {
  if ([...store.instances.values()].some((l) => l.label === input.label)) {
    throw new Error(`linode sim: a Linode labelled ${input.label} already exists`);
  }
  const now = store.clock.nowMs();
  const linode: InstanceRecord = {
    id: store.nextId('instance'),
    label: input.label,
    region: store.region,
    type: input.type ?? DEFAULT_TYPE,
    status: input.status ?? 'running',
    ipv4: [input.ipv4 ?? freeIpv4(store)],
    lkeClusterId: input.lkeClusterId ?? null,
    tags: [],
    group: '',
    image: 'linode/debian11',
    created: now,
    updated: now,
    configId: store.nextId('config'),
    busy: undefined,
  };
  store.instances.set(linode.id, linode);
  return linode;
}

/** A public address in a Frankfurt range that no Linode uses yet. */
function freeIpv4(store: Store): string {
  const used = new Set([...store.instances.values()].flatMap((l) => l.ipv4));
  for (;;) {
    const n = store.nextId('ip');
    const address = `172.105.${(n >>> 8) & 0xff}.${n & 0xff}`;
    if (!used.has(address) && (n & 0xff) !== 0) return address;
  }
}

/** Deletes a Linode: its volumes are detached at once, as the real API does. */
export function deleteInstance(store: Store, linodeId: number): void {
  detachAllFrom(store, linodeId);
  store.instances.delete(linodeId);
}

export function toWorldInstance(linode: InstanceRecord): LinodeInstance {
  return {
    id: linode.id,
    label: linode.label,
    region: linode.region,
    type: linode.type,
    status: linode.status,
    ipv4: [...linode.ipv4],
    lke_cluster_id: linode.lkeClusterId,
  };
}
