// 2021-07-11: a Django connection surge made Postgres's node unresponsive; it was recycled, and the
// Linode volumes of the stateful services stayed attached to the old, deleted Linode: their pods sit
// in ContainerCreating with "Unable to find device path" while the VolumeAttachments say attached.
import type { Scenario } from '../scenario.js';
import { claim, configMap, deployment, service, statefulSet } from './manifests.js';
import { all, nodesReady, statefulPodsMounted, workloadsReady } from './recovery.js';
import { CLUSTER_ID, NODES, POOL_ID } from './workloads.js';

const RECYCLED = 'lke13311-16405-5fafd1b46dcf';
const pinned = { 'kubernetes.io/hostname': RECYCLED };
const app = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } };

export const cascadingNodeFailures: Scenario = {
  name: '2021-07-11-cascading-node-failures',
  summary:
    'A recycled node: Postgres, Redis and PrestaShop stuck in ContainerCreating (FailedMount), their volumes still attached to the old Linode.',
  postmortems: ['2021-07-11-cascading-node-failures'],
  runbook: 'volume-reattach',
  alert: `01:13 UTC: ${RECYCLED} is back after its recycle, but volumes will not mount: stateful pods stuck in ContainerCreating.`,
  startsAt: '2021-07-11T00:27:00Z',
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES,
  manifests: [
    claim('postgres-storage', 'default', '10Gi'),
    deployment('postgres', 'default', 1, {
      image: 'postgres:13-alpine',
      port: 5432,
      resources: app,
      claim: { name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' },
      nodeSelector: pinned,
    }),
    service('postgres', 'default', 5432),
    configMap('redis-config', 'default', { 'redis.conf': 'appendonly yes\n' }),
    claim('redis-storage', 'default', '10Gi'),
    deployment('redis', 'default', 1, {
      image: 'redis:6-alpine',
      port: 6379,
      resources: app,
      claim: { name: 'redis-storage', mountPath: '/data' },
      volumes: [
        {
          volume: { name: 'redis-config-volume', configMap: { name: 'redis-config' } },
          mountPath: '/config',
        },
      ],
      nodeSelector: pinned,
    }),
    service('redis', 'default', 6379),
    statefulSet('prestashop', 'default', 1, {
      image: 'prestashop/prestashop:1.7',
      port: 80,
      resources: app,
      nodeSelector: pinned,
      claimTemplate: { name: 'data', size: '10Gi', mountPath: '/var/www/html' },
    }),
    deployment('site', 'default', 2, {
      image: 'ghcr.io/python-discord/site:latest',
      port: 8000,
      resources: app,
    }),
    deployment('bot', 'default', 1, { image: 'ghcr.io/python-discord/bot:latest', resources: app }),
  ],
  faults: [],
  timeline: [
    {
      at: 28,
      note: `00:55 UTC: ${RECYCLED} is recycled; it did not shut down cleanly, so Linode still reports its volumes attached to the old Linode`,
      recycle: { node: RECYCLED, volumesStayAttached: true },
    },
  ],
  recovered: all(nodesReady, statefulPodsMounted, workloadsReady(['default'])),
};
