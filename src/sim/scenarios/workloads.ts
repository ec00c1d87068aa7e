// The Python Discord cluster of the postmortems, as ordinary manifests: Postgres and Redis on Linode
// block storage, the Django site and the bot.
import type { KubeObject } from '../world.js';
import type { ScenarioNode } from '../scenario.js';

export const CLUSTER_ID = 13311;
export const POOL_ID = 16405;

export const NODES: readonly ScenarioNode[] = [
  { name: 'lke13311-16405-5fafd1b46dcf', ip: '172.104.134.10' },
  { name: 'lke13311-16405-5fafd1b4a1e2', ip: '172.104.134.11' },
  { name: 'lke13311-16405-5fafd1b4c3f4', ip: '172.104.134.12' },
];

function claim(name: string, size: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'linode-block-storage-retain',
      resources: { requests: { storage: size } },
    },
  };
}

function deployment(options: {
  name: string;
  image: string;
  replicas: number;
  port: number;
  claim?: string;
  mountPath?: string;
  env?: Array<{ name: string; value: string }>;
}): KubeObject {
  const labels = { app: options.name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: options.name, namespace: 'default', labels },
    spec: {
      replicas: options.replicas,
      selector: { matchLabels: labels },
      strategy: options.claim === undefined ? { type: 'RollingUpdate' } : { type: 'Recreate' },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: options.name,
              image: options.image,
              ports: [{ containerPort: options.port }],
              env: options.env ?? [],
              resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } },
              ...(options.claim === undefined
                ? {}
                : {
                    volumeMounts: [{ name: `${options.name}-data`, mountPath: options.mountPath ?? '/data' }],
                  }),
            },
          ],
          volumes:
            options.claim === undefined
              ? []
              : [{ name: `${options.name}-data`, persistentVolumeClaim: { claimName: options.claim } }],
        },
      },
    },
  };
}

function service(name: string, port: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { app: name },
      ports: [{ port, targetPort: port, protocol: 'TCP' }],
      type: 'ClusterIP',
    },
  };
}

export const PYTHON_DISCORD_WORKLOADS: readonly KubeObject[] = [
  claim('postgres-storage', '10Gi'),
  claim('redis-storage', '10Gi'),
  deployment({
    name: 'postgres',
    image: 'postgres:13-alpine',
    replicas: 1,
    port: 5432,
    claim: 'postgres-storage',
    mountPath: '/var/lib/postgresql/data',
    env: [{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }],
  }),
  service('postgres', 5432),
  deployment({ name: 'redis', image: 'redis:6-alpine', replicas: 1, port: 6379, claim: 'redis-storage' }),
  service('redis', 6379),
  deployment({ name: 'site', image: 'ghcr.io/python-discord/site:latest', replicas: 2, port: 8000 }),
  service('site', 8000),
  deployment({ name: 'bot', image: 'ghcr.io/python-discord/bot:latest', replicas: 1, port: 8080 }),
];
