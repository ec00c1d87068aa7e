// The environment of a simulated container, from its pod spec as the kubelet builds it, except that
// Secret values are never resolved: they read as `kubectl describe` shows them.
import type { KubeWorld } from '../world.js';

interface EnvVar {
  name?: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath?: string };
    configMapKeyRef?: { name?: string; key?: string };
    secretKeyRef?: { name?: string; key?: string };
    resourceFieldRef?: { resource?: string };
  };
}
interface EnvFrom {
  prefix?: string;
  configMapRef?: { name?: string };
  secretRef?: { name?: string };
}
export interface ContainerSpec {
  name: string;
  image?: string;
  env?: EnvVar[];
  envFrom?: EnvFrom[];
}
export interface PodShape {
  metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string; serviceAccountName?: string; containers?: ContainerSpec[] };
  status?: { podIP?: string; hostIP?: string };
}

const secretShown = (name: string | undefined, key: string | undefined): string =>
  `<set to the key '${key ?? ''}' in secret '${name ?? ''}'>`;

export function containerEnv(
  kube: KubeWorld,
  pod: PodShape,
  container: ContainerSpec,
): Record<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOSTNAME: pod.metadata.name,
  };
  const configMap = (name: string | undefined): Record<string, string> => {
    if (name === undefined) return {};
    const found = kube.get('v1', 'ConfigMap', namespace, name) as
      { data?: Record<string, string> } | undefined;
    return found?.data ?? {};
  };
  const secretKeys = (name: string | undefined): string[] => {
    if (name === undefined) return [];
    const found = kube.get('v1', 'Secret', namespace, name) as
      { data?: Record<string, string>; stringData?: Record<string, string> } | undefined;
    return Object.keys({ ...found?.data, ...found?.stringData });
  };
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef !== undefined)
      for (const [k, v] of Object.entries(configMap(from.configMapRef.name))) env[`${prefix}${k}`] = v;
    if (from.secretRef !== undefined)
      for (const k of secretKeys(from.secretRef.name))
        env[`${prefix}${k}`] = secretShown(from.secretRef.name, k);
  }
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? 'default',
    'status.podIP': pod.status?.podIP,
    'status.hostIP': pod.status?.hostIP,
  };
  for (const v of container.env ?? []) {
    if (v.name === undefined) continue;
    const from = v.valueFrom;
    if (from?.secretKeyRef !== undefined)
      env[v.name] = secretShown(from.secretKeyRef.name, from.secretKeyRef.key);
    else if (from?.configMapKeyRef !== undefined)
      env[v.name] = configMap(from.configMapKeyRef.name)[from.configMapKeyRef.key ?? ''] ?? '';
    else if (from?.fieldRef !== undefined) env[v.name] = fields[from.fieldRef.fieldPath ?? ''] ?? '';
    else if (from?.resourceFieldRef !== undefined) env[v.name] = '0';
    else env[v.name] = v.value ?? '';
  }
  env.KUBERNETES_SERVICE_HOST = '10.128.0.1';
  env.KUBERNETES_SERVICE_PORT = '443';
  env.HOME = '/root';
  return env;
}
