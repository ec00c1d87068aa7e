// Small read-only helpers a step needs around Kubernetes objects: a node's Linode, a selector from
// labels, a pod's readiness. Part of the public authoring surface (src/authoring.ts).
import type { V1Node, V1Pod } from '@kubernetes/client-node';

/** The Linode id behind an LKE node (its providerID `linode://<id>`), or undefined when it has none. */
export function linodeIdOfNode(node: V1Node | undefined): number | undefined {
  const match = /^linode:\/\/(\d+)$/.exec(node?.spec?.providerID ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** A label selector as the API takes it (`app=web,tier=db`), from a label map; sorted, stable. */
export function selectorOf(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** Whether a pod reports the Ready condition (and is not being deleted). */
export const podIsReady = (pod: V1Pod | undefined): boolean =>
  pod?.metadata?.deletionTimestamp === undefined &&
  (pod?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
