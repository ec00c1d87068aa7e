import type { Scenario } from '../scenario.js';
import { all, statefulPodsMounted, volumeRemounted, workloadReady } from './recovery.js';
import { CLUSTER_ID, NODES, POOL_ID, PYTHON_DISCORD_WORKLOADS } from './workloads.js';

/**
 * 2020-12-11: Postgres at 100 clients. Taking it down leaves its pod stuck terminating (its kubelet
 * cannot kill it) and the CSI driver cannot detach its volume: the night's recovery was a forced
 * delete and a detach by hand at Linode. Recovered once the volume was remounted under a Ready Postgres.
 */
export const postgresConnSurge: Scenario = {
  name: '2020-12-11-postgres-conn-surge',
  summary: 'Postgres saturated at 100 clients; its pod will not terminate and its volume stays attached.',
  postmortems: ['2020-12-11-postgres-conn-surge'],
  runbook: 'postgres-remount',
  alert:
    '13:24 UTC: the bot cannot infract and pythondiscord.com answers Cloudflare 524s; site logs "FATAL: sorry, too many clients already".',
  startsAt: '2020-12-11T13:24:00Z',
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES,
  manifests: PYTHON_DISCORD_WORKLOADS,
  faults: [
    { kind: 'pod-stuck-terminating', namespace: 'default', labelSelector: 'app=postgres' },
    { kind: 'volume-stuck-attached', namespace: 'default', pvc: 'postgres-storage' },
    // What the pager quotes: Postgres refuses connections, and the site and the bot log its refusal.
    {
      kind: 'postgres-too-many-clients',
      namespace: 'default',
      labelSelector: 'app=postgres',
      clientSelector: 'app in (site, bot)',
    },
  ],
  recovered: all(
    volumeRemounted('default', 'postgres-storage'),
    workloadReady('Deployment', 'default', 'postgres'),
    statefulPodsMounted,
  ),
};
