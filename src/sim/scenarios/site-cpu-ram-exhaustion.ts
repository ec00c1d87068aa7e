// 2021-01-12: the Django site, with no requests or limits, took 1.5 GB syncing 80k users in one
// query; the node's OOM killer took Postgres, which went into recovery.
import type { Scenario } from '../scenario.js';
import { claim, deployment, service } from './manifests.js';
import { all, resourcesBounded, statefulPodsMounted, workloadReady } from './recovery.js';
import { CLUSTER_ID, NODES, POOL_ID } from './workloads.js';

const NODE = NODES[0]?.name ?? '';

export const siteCpuRamExhaustion: Scenario = {
  name: '2021-01-12-site-cpu-ram-exhaustion',
  summary:
    'site runs without requests or limits next to Postgres, which was OOM-killed; memory limits on the node exceed it.',
  postmortems: ['2021-01-12-site-cpu-ram-exhaustion', '2021-01-10-primary-kubernetes-node-outage'],
  runbook: 'resource-limits-audit',
  recovery: [['resource-limits-audit', '--apply', '{repo}/limits.yaml']],
  // What the team settled on afterwards: requests and limits for site and redis, Postgres bounded.
  teamFiles: {
    'limits.yaml': [
      '- workload: default/deployment/site',
      '  requests: { cpu: 250m, memory: 256Mi }',
      '  limits: { memory: 1Gi }',
      '- workload: default/deployment/redis',
      '  requests: { cpu: 100m, memory: 128Mi }',
      '- workload: default/deployment/postgres',
      '  container: postgres',
      '  limits: { memory: 2Gi }',
      '',
    ].join('\n'),
  },
  alert: '03:01 UTC: Grafana and Sentry: PostgreSQL down (killed by the OOM killer, in recovery).',
  startsAt: '2021-01-12T03:01:00Z',
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES.slice(0, 2),
  manifests: [
    claim('postgres-storage', 'default', '10Gi'),
    deployment('postgres', 'default', 1, {
      image: 'postgres:13-alpine',
      port: 5432,
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '6Gi' } },
      claim: { name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' },
      nodeSelector: { 'kubernetes.io/hostname': NODE },
    }),
    service('postgres', 'default', 5432),
    // No requests, no limits: free to take the node's memory.
    deployment('site', 'default', 2, {
      image: 'ghcr.io/python-discord/site:latest',
      port: 8000,
      nodeSelector: { 'kubernetes.io/hostname': NODE },
    }),
    service('site', 'default', 8000),
    deployment('bot', 'default', 1, {
      image: 'ghcr.io/python-discord/bot:latest',
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    }),
    deployment('redis', 'default', 1, {
      image: 'redis:6-alpine',
      port: 6379,
      resources: { limits: { memory: '512Mi' } },
    }),
  ],
  faults: [],
  timeline: [
    {
      at: 0,
      note: 'site jumps from 400 MB to 1.5 GB; the OOM killer takes Postgres',
      fault: {
        kind: 'pod-crash-loop',
        namespace: 'default',
        labelSelector: 'app=postgres',
        reason: 'OOMKilled',
      },
    },
  ],
  recovered: all(
    resourcesBounded(['default']),
    workloadReady('Deployment', 'default', 'postgres'),
    statefulPodsMounted,
  ),
};
