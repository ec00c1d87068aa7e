// What the two scenarios of the night of 2021-07-11 share: the Python Discord cluster, Postgres and
// Redis on their Linode volumes, and the site and the bot that depend on them. The nights differ in
// where the stateful pods run (pinned to the node that is recycled, or not) and in Redis' limits.
import type { KubeObject } from '../world.js';
import { type PodOptions, claim, configMap, deployment, service } from './manifests.js';
import { CLUSTER_ID, NODES, POOL_ID } from './workloads.js';

/** The cluster's LKE ids, Kubernetes version and nodes. */
export const PYTHON_DISCORD_CLUSTER = {
  clusterId: CLUSTER_ID,
  poolId: POOL_ID,
  k8sVersion: '1.32',
  nodes: NODES,
} as const;

/** What an application container asks for and may use. */
export const APP_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } };

const pinnedTo = (nodeSelector: Record<string, string> | undefined): Partial<PodOptions> =>
  nodeSelector === undefined ? {} : { nodeSelector };

/** A Deployment on its own claim (`<name>-storage`), and its Service. */
function onClaim(
  name: string,
  image: string,
  port: number,
  mountPath: string,
  o: Partial<PodOptions>,
): KubeObject[] {
  return [
    claim(`${name}-storage`, 'default', '10Gi'),
    deployment(name, 'default', 1, {
      image,
      port,
      resources: APP_RESOURCES,
      claim: { name: `${name}-storage`, mountPath },
      ...o,
    }),
    service(name, 'default', port),
  ];
}

/** Postgres on its claim, and its Service. */
export const postgresOnClaim = (nodeSelector?: Record<string, string>): KubeObject[] =>
  onClaim('postgres', 'postgres:13-alpine', 5432, '/var/lib/postgresql/data', pinnedTo(nodeSelector));

/** Redis' config, then Redis on its claim and its Service; `o` says what differs that night. */
export const redisOnClaim = (o: Partial<PodOptions>): KubeObject[] => [
  configMap('redis-config', 'default', { 'redis.conf': 'appendonly yes\n' }),
  ...onClaim('redis', 'redis:6-alpine', 6379, '/data', o),
];

/** The Django site (with its Service, when the night's alert goes through it) and the bot. */
export function siteAndBot(options: { siteService: boolean }): KubeObject[] {
  return [
    deployment('site', 'default', 2, {
      image: 'ghcr.io/python-discord/site:latest',
      port: 8000,
      resources: APP_RESOURCES,
    }),
    ...(options.siteService ? [service('site', 'default', 8000)] : []),
    deployment('bot', 'default', 1, { image: 'ghcr.io/python-discord/bot:latest', resources: APP_RESOURCES }),
  ];
}
