// A quiet night: the baseline every other scenario departs from, and what `recovered` looks like.
import type { Scenario } from '../scenario.js';
import { all, nodesReady, statefulPodsMounted, workloadsReady } from './recovery.js';
import { CLUSTER_ID, NODES, POOL_ID, PYTHON_DISCORD_WORKLOADS } from './workloads.js';

export const healthy: Scenario = {
  name: 'healthy',
  summary:
    'Three Ready nodes; Postgres, Redis, site and bot running; every volume attached where it is used.',
  postmortems: [],
  alert: 'No alert: a quiet night.',
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES,
  manifests: PYTHON_DISCORD_WORKLOADS,
  faults: [],
  recovered: all(nodesReady, workloadsReady(), statefulPodsMounted),
};
