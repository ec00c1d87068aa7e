// Builders for the ordinary manifests scenarios are made of, so each scenario file reads as a list
// of workloads rather than as nested JSON.
import type { KubeObject } from '../world.js';

export interface Resources {
  readonly requests?: { cpu?: string; memory?: string };
  readonly limits?: { cpu?: string; memory?: string };
}

export interface PodOptions {
  readonly image: string;
  readonly port?: number;
  /** undefined: no requests and no limits at all (what 2021-01-12 found on site). */
  readonly resources?: Resources;
  readonly env?: ReadonlyArray<Record<string, unknown>>;
  /** Pod volumes besides the claims, with their mount paths. */
  readonly volumes?: ReadonlyArray<{ volume: Record<string, unknown>; mountPath: string }>;
  readonly claim?: { name: string; mountPath: string };
  readonly nodeSelector?: Record<string, string>;
  readonly hostNetwork?: boolean;
  readonly labels?: Record<string, string>;
}

function podTemplate(name: string, labels: Record<string, string>, o: PodOptions): Record<string, unknown> {
  const volumes: Array<Record<string, unknown>> = [];
  const mounts: Array<Record<string, unknown>> = [];
  if (o.claim !== undefined) {
    volumes.push({ name: `${name}-data`, persistentVolumeClaim: { claimName: o.claim.name } });
    mounts.push({ name: `${name}-data`, mountPath: o.claim.mountPath });
  }
  for (const v of o.volumes ?? []) {
    volumes.push(v.volume);
    mounts.push({ name: v.volume.name, mountPath: v.mountPath });
  }
  return {
    metadata: { labels },
    spec: {
      terminationGracePeriodSeconds: 30,
      ...(o.nodeSelector === undefined ? {} : { nodeSelector: o.nodeSelector }),
      ...(o.hostNetwork === true ? { hostNetwork: true } : {}),
      containers: [
        {
          name,
          image: o.image,
          ...(o.port === undefined ? {} : { ports: [{ containerPort: o.port }] }),
          ...(o.env === undefined ? {} : { env: o.env }),
          ...(o.resources === undefined ? {} : { resources: o.resources }),
          ...(mounts.length === 0 ? {} : { volumeMounts: mounts }),
        },
      ],
      ...(volumes.length === 0 ? {} : { volumes }),
    },
  };
}

export function deployment(name: string, namespace: string, replicas: number, o: PodOptions): KubeObject {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      strategy: o.claim === undefined ? { type: 'RollingUpdate' } : { type: 'Recreate' },
      template: podTemplate(name, labels, o),
    },
  };
}

export function statefulSet(
  name: string,
  namespace: string,
  replicas: number,
  o: PodOptions & { claimTemplate?: { name: string; size: string; mountPath: string } },
): KubeObject {
  const labels = o.labels ?? { app: name };
  const template = podTemplate(name, labels, o) as { spec: { containers: Array<Record<string, unknown>> } };
  if (o.claimTemplate !== undefined) {
    const container = template.spec.containers[0];
    if (container !== undefined)
      container.volumeMounts = [
        ...((container.volumeMounts as unknown[] | undefined) ?? []),
        { name: o.claimTemplate.name, mountPath: o.claimTemplate.mountPath },
      ];
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: labels },
      template,
      ...(o.claimTemplate === undefined
        ? {}
        : {
            volumeClaimTemplates: [
              {
                metadata: { name: o.claimTemplate.name },
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: 'linode-block-storage-retain',
                  resources: { requests: { storage: o.claimTemplate.size } },
                },
              },
            ],
          }),
    },
  };
}

export function daemonSet(name: string, namespace: string, o: PodOptions): KubeObject {
  const labels = o.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace, labels },
    spec: { selector: { matchLabels: labels }, template: podTemplate(name, labels, o) },
  };
}

export function claim(name: string, namespace: string, size: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'linode-block-storage-retain',
      resources: { requests: { storage: size } },
    },
  };
}

export function service(
  name: string,
  namespace: string,
  port: number,
  extra: { type?: 'ClusterIP' | 'LoadBalancer'; nodePort?: number; selector?: Record<string, string> } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      selector: extra.selector ?? { app: name },
      ports: [
        {
          port,
          targetPort: port,
          protocol: 'TCP',
          ...(extra.nodePort === undefined ? {} : { nodePort: extra.nodePort }),
        },
      ],
      type: extra.type ?? 'ClusterIP',
    },
  };
}

export function configMap(name: string, namespace: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** A Secret as a team keeps it in its repository: stringData, values in clear text. */
export function secret(name: string, namespace: string, stringData: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', stringData };
}

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function pdb(
  name: string,
  namespace: string,
  minAvailable: number,
  labels: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace },
    spec: { minAvailable, selector: { matchLabels: labels } },
  };
}

/** The CNI, DNS and CSI pods LKE runs in kube-system, as DaemonSets, Deployments and a StatefulSet. */
export function lkeSystemWorkloads(): KubeObject[] {
  const system = { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } };
  return [
    daemonSet('calico-node', 'kube-system', {
      image: 'docker.io/calico/node:v3.25.0',
      hostNetwork: true,
      labels: { 'k8s-app': 'calico-node' },
      resources: { requests: { cpu: '250m' } },
    }),
    deployment('calico-kube-controllers', 'kube-system', 1, {
      image: 'docker.io/calico/kube-controllers:v3.25.0',
      labels: { 'k8s-app': 'calico-kube-controllers' },
      resources: system,
    }),
    deployment('coredns', 'kube-system', 2, {
      image: 'registry.k8s.io/coredns/coredns:v1.10.1',
      port: 53,
      labels: { 'k8s-app': 'kube-dns' },
      resources: system,
    }),
    daemonSet('csi-linode-node', 'kube-system', {
      image: 'linode/linode-blockstorage-csi-driver:v0.5.3',
      hostNetwork: true,
      labels: { app: 'csi-linode-node' },
      resources: { requests: { cpu: '10m', memory: '20Mi' } },
    }),
    statefulSet('csi-linode-controller', 'kube-system', 1, {
      image: 'linode/linode-blockstorage-csi-driver:v0.5.3',
      labels: { app: 'csi-linode-controller' },
      resources: { requests: { cpu: '10m', memory: '20Mi' } },
    }),
  ];
}
