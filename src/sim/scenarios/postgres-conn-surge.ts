import type { Scenario } from '../scenario.js';
import { CLUSTER_ID, NODES, POOL_ID, PYTHON_DISCORD_WORKLOADS } from './workloads.js';

/**
 * 2020-12-11: Postgres at 100 clients. Taking it down leaves its pod stuck terminating (its kubelet
 * cannot kill it) and the CSI driver cannot detach its volume: the night's recovery was a forced
 * delete and a detach by hand at Linode.
 */
export const postgresConnSurge: Scenario = {
  name: '2020-12-11-postgres-conn-surge',
  summary: 'Postgres saturated at 100 clients; its pod will not terminate and its volume stays attached.',
  postmortems: ['2020-12-11-postgres-conn-surge'],
  runbook: 'postgres-remount',
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES,
  manifests: PYTHON_DISCORD_WORKLOADS,
  faults: [
    { kind: 'pod-stuck-terminating', namespace: 'default', labelSelector: 'app=postgres' },
    { kind: 'volume-stuck-attached', namespace: 'default', pvc: 'postgres-storage' },
  ],
};
