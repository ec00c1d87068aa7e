// A kubeconfig may read workloads but not Secrets (a common RBAC split). The dry-run twin then
// cannot tell a missing Secret from an unreadable one: rather than predict failures that will not
// happen, it assumes each Secret the pods and pod templates name exists with the keys they name.
import type { RawKubeObject } from '../../engine/ports.js';

/** Marks a Secret the twin assumed (the kubeconfig may not list Secrets), never read. */
export const ASSUMED_ANNOTATION = 'runbook.dev/assumed';

interface PodSpecLike {
  volumes?: Array<{
    secret?: { secretName?: string; items?: Array<{ key?: string }> };
    projected?: { sources?: Array<{ secret?: { name?: string; items?: Array<{ key?: string }> } }> };
  }>;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  imagePullSecrets?: Array<{ name?: string }>;
}

interface ContainerLike {
  env?: Array<{ valueFrom?: { secretKeyRef?: { name?: string; key?: string } } }>;
  envFrom?: Array<{ secretRef?: { name?: string } }>;
}

function podSpecOf(object: RawKubeObject): PodSpecLike | undefined {
  const spec = object.spec as { template?: { spec?: PodSpecLike } } | PodSpecLike | undefined;
  if (spec === undefined) return undefined;
  if (object.kind === 'Pod') return spec as PodSpecLike;
  return (spec as { template?: { spec?: PodSpecLike } }).template?.spec;
}

/** One placeholder Secret per name the pods and pod templates of `objects` reference, with the keys they name. */
export function assumedSecrets(objects: readonly RawKubeObject[]): RawKubeObject[] {
  const keys = new Map<string, Set<string>>();
  const need = (namespace: string | undefined, name: string | undefined, key?: string): void => {
    if (namespace === undefined || name === undefined) return;
    const id = `${namespace}/${name}`;
    const set = keys.get(id) ?? new Set<string>();
    if (key !== undefined) set.add(key);
    keys.set(id, set);
  };
  for (const object of objects) {
    const spec = podSpecOf(object);
    const ns = object.metadata.namespace;
    if (spec === undefined) continue;
    for (const volume of spec.volumes ?? []) {
      for (const item of volume.secret?.items ?? [{}]) need(ns, volume.secret?.secretName, item.key);
      for (const source of volume.projected?.sources ?? [])
        for (const item of source.secret?.items ?? [{}]) need(ns, source.secret?.name, item.key);
    }
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const from of c.envFrom ?? []) need(ns, from.secretRef?.name);
      for (const env of c.env ?? [])
        need(ns, env.valueFrom?.secretKeyRef?.name, env.valueFrom?.secretKeyRef?.key);
    }
    for (const pull of spec.imagePullSecrets ?? []) need(ns, pull.name);
  }
  return [...keys].map(([id, names]) => {
    const [namespace = '', name = ''] = id.split('/');
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace, annotations: { [ASSUMED_ANNOTATION]: 'true' } },
      type: 'Opaque',
      data: Object.fromEntries([...names].map((key) => [key, ''])),
    };
  });
}
