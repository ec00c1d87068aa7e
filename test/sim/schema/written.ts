// Objects as clients write them, nulls included (kubectl's `create --dry-run -o yaml` output, client
// libraries that serialize unset fields as null): the server must serve them as a real one does.
export const WRITTEN: ReadonlyArray<{ path: string; body: Record<string, unknown> }> = [
  {
    path: '/apis/apps/v1/namespaces/default/deployments',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'written', creationTimestamp: null, labels: { app: 'written' } },
      spec: {
        replicas: null,
        paused: null,
        strategy: {},
        selector: { matchLabels: { app: 'written' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'written' } },
          spec: {
            containers: [{ name: 'web', image: 'nginx:1.27', resources: {}, env: null, ports: null }],
            nodeSelector: null,
          },
        },
      },
      status: {},
    },
  },
  {
    path: '/api/v1/namespaces/default/services',
    body: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'written', creationTimestamp: null },
      spec: {
        clusterIP: null,
        type: null,
        selector: { app: 'written' },
        ports: [{ port: 80, targetPort: 80, nodePort: null }],
      },
      status: { loadBalancer: {} },
    },
  },
  {
    path: '/api/v1/namespaces/default/configmaps',
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'written', annotations: null },
      data: null,
    },
  },
  {
    path: '/api/v1/namespaces/default/persistentvolumeclaims',
    body: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'written' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: null,
        volumeMode: null,
        resources: { requests: { storage: '10Gi' } },
      },
    },
  },
  {
    path: '/apis/batch/v1/namespaces/default/cronjobs',
    body: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'written' },
      spec: {
        schedule: '0 3 * * *',
        suspend: null,
        jobTemplate: {
          spec: {
            template: {
              spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox:1.36' }] },
            },
          },
        },
      },
    },
  },
  {
    path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses',
    body: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'written' },
      spec: {
        ingressClassName: null,
        rules: [
          {
            host: 'written.example.org',
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: 'written', port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    },
  },
  {
    path: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    body: {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'written' },
      rules: null,
    },
  },
];
