// 2021-01-10: a Prometheus query exhausted the CPU of the primary (largest) node; its kubelet
// stopped posting status, its pods were evicted and the smaller survivor could not take them all.
import type { Scenario } from '../scenario.js';
import { claim, deployment, pdb, service, statefulSet } from './manifests.js';
import { all, nodesReady, podsHealthy, statefulPodsMounted, workloadsReady } from './recovery.js';
import { CLUSTER_ID } from './workloads.js';

const PRIMARY = 'lke13311-20304-5ffa4d0d8a1c';
const SECONDARY = 'lke13311-20304-5ffa4d11faab';
const small = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } };

export const primaryNodeOutage: Scenario = {
  name: '2021-01-10-primary-kubernetes-node-outage',
  summary:
    'The primary node is NotReady (CPU exhaustion); its pods are stuck terminating and the smaller survivor is short of capacity.',
  postmortems: ['2021-01-10-primary-kubernetes-node-outage'],
  runbook: 'node-recycle',
  recovery: [['node-recycle', '--node', PRIMARY]],
  alert: `20:20 UTC: CPU exhaustion on ${PRIMARY}; Discord services failing, \`kubectl get nodes\` shows it NotReady.`,
  startsAt: '2021-01-10T20:20:00Z',
  clusterId: CLUSTER_ID,
  poolId: 20304,
  k8sVersion: '1.32',
  nodes: [
    { name: PRIMARY, ip: '172.104.140.20', type: 'g6-standard-6' },
    { name: SECONDARY, ip: '172.104.140.21', type: 'g6-standard-2' },
  ],
  manifests: [
    deployment('prometheus', 'default', 1, {
      image: 'prom/prometheus:v2.24.0',
      port: 9090,
      resources: { requests: { cpu: '1500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
    }),
    deployment('grafana', 'default', 1, { image: 'grafana/grafana:7.3.6', port: 3000, resources: small }),
    claim('postgres-storage', 'default', '10Gi'),
    deployment('postgres', 'default', 1, {
      image: 'postgres:13-alpine',
      port: 5432,
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
      claim: { name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' },
    }),
    pdb('postgres', 'default', 1, { app: 'postgres' }),
    service('postgres', 'default', 5432),
    deployment('site', 'default', 2, {
      image: 'ghcr.io/python-discord/site:latest',
      port: 8000,
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    }),
    deployment('bot', 'default', 1, { image: 'ghcr.io/python-discord/bot:latest', resources: small }),
    deployment('modmail', 'default', 1, { image: 'ghcr.io/python-discord/modmail:latest', resources: small }),
    statefulSet('mongodb', 'default', 1, {
      image: 'mongo:4.4',
      port: 27017,
      resources: small,
      nodeSelector: { 'kubernetes.io/hostname': SECONDARY },
      claimTemplate: { name: 'data', size: '10Gi', mountPath: '/data/db' },
    }),
  ],
  faults: [],
  timeline: [
    {
      at: 0,
      note: `The Prometheus query pins every core of ${PRIMARY}; its kubelet stops posting status`,
      fault: { kind: 'node-not-ready', node: PRIMARY, untilReboot: true },
    },
  ],
  recovered: all(nodesReady, podsHealthy(['default']), workloadsReady(['default']), statefulPodsMounted),
};
