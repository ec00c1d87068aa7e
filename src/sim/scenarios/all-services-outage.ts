// 2020-12-11, evening: a node restarted by Lassie after a high-CPU shutdown came back with Calico,
// CoreDNS and the Linode CSI crash-looping, Postgres removed before the restart, site and bot
// failing, and the bot's Sentry DSN secret missing.
import type { Scenario } from '../scenario.js';
import { claim, deployment, lkeSystemWorkloads, secret, service } from './manifests.js';
import { all, nodesReady, workloadReady, workloadsReady } from './recovery.js';
import { CLUSTER_ID, NODES, POOL_ID } from './workloads.js';

const app = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } };

export const allServicesOutage: Scenario = {
  name: '2020-12-11-all-services-outage',
  summary:
    'After a node restart, calico-node, coredns and csi-linode-node crash-loop; Postgres is gone; site and bot fail.',
  postmortems: ['2020-12-11-all-services-outage'],
  runbook: 'core-services-restart',
  recovery: [['core-services-restart', '--manifests', '{repo}']],
  // The team's kubernetes repository: Postgres as it ran before it was removed, and the bot's
  // Sentry DSN ("It was missing a DSN secret, which we have now restored").
  teamManifests: [
    deployment('postgres', 'default', 1, {
      image: 'postgres:13-alpine',
      port: 5432,
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
      claim: { name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' },
    }),
    secret('bot-sentry', 'default', { dsn: 'https://5f0e1c2b9a8d4e7f@sentry.pydis.example/3' }),
  ],
  alert:
    '19:55 UTC: all services unresponsive (site, bot, help channels, gates); the node was restarted by Lassie.',
  startsAt: '2020-12-11T19:55:00Z',
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES,
  manifests: [
    ...lkeSystemWorkloads(),
    // Postgres had been removed as a component before the restart: its claim and volume remain.
    claim('postgres-storage', 'default', '10Gi'),
    service('postgres', 'default', 5432),
    claim('redis-storage', 'default', '10Gi'),
    deployment('redis', 'default', 1, {
      image: 'redis:6-alpine',
      port: 6379,
      resources: app,
      claim: { name: 'redis-storage', mountPath: '/data' },
    }),
    deployment('site', 'default', 2, {
      image: 'ghcr.io/python-discord/site:latest',
      port: 8000,
      resources: app,
    }),
    service('site', 'default', 8000),
    deployment('bot', 'default', 1, {
      image: 'ghcr.io/python-discord/bot:latest',
      port: 8080,
      resources: app,
      // "Sentry is broken for the bot. It was missing a DSN secret": the pod cannot start without it.
      env: [{ name: 'BOT_SENTRY_DSN', valueFrom: { secretKeyRef: { name: 'bot-sentry', key: 'dsn' } } }],
    }),
  ],
  faults: [],
  timeline: [
    {
      at: 0,
      note: 'Calico does not come back from the restart',
      fault: { kind: 'pod-crash-loop', namespace: 'kube-system', labelSelector: 'k8s-app=calico-node' },
    },
    {
      at: 0,
      note: 'CoreDNS crash-loops',
      fault: { kind: 'pod-crash-loop', namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' },
    },
    {
      at: 0,
      note: 'The Linode CSI node plugin crash-loops',
      fault: { kind: 'pod-crash-loop', namespace: 'kube-system', labelSelector: 'app=csi-linode-node' },
    },
    {
      at: 1,
      note: 'site cannot reach Postgres',
      fault: { kind: 'pod-crash-loop', namespace: 'default', labelSelector: 'app=site' },
    },
  ],
  recovered: all(
    nodesReady,
    workloadsReady(['kube-system']),
    workloadReady('Deployment', 'default', 'postgres'),
    workloadsReady(['default']),
  ),
};
