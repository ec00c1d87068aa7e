// GET /_sim/state's Linode half: every object as the API would serve it (never the token).
import type { Store } from './store.js';
import {
  clusterView,
  eventView,
  instanceView,
  nbConfigView,
  nbNodeView,
  nodeBalancerView,
  poolView,
  volumeView,
} from './views.js';
import { poolsOf } from './lke.js';

export function snapshotOf(store: Store): unknown {
  const byId = <T extends { id: number }>(map: Map<number, T>): T[] =>
    [...map.values()].sort((a, b) => a.id - b.id);
  return {
    region: store.region,
    now: new Date(store.clock.nowMs()).toISOString(),
    instances: byId(store.instances).map(instanceView),
    volumes: byId(store.volumes).map((v) => volumeView(store, v)),
    lkeClusters: byId(store.clusters).map((c) => ({
      ...clusterView(c),
      pools: poolsOf(store, c.id).map(poolView),
    })),
    nodeBalancers: byId(store.nodeBalancers).map((nb) => ({
      ...nodeBalancerView(store, nb),
      configs: nb.configs.map((c) => ({
        ...nbConfigView(store, nb, c),
        nodes: c.nodes.map((n) => nbNodeView(store, nb, c, n)),
      })),
    })),
    events: byId(store.events).map((e) => eventView(store, e)),
  };
}
