// Whether a fault a team named is aimed at something of the loaded world: a fault whose selector,
// claim or node matches nothing breaks nothing, and a rehearsal "recovering" from it proves nothing.
import { matchesLabels, parseLabelSelector } from './kube/selectors.js';
import type { Fault, SimWorld } from './world.js';

function podsMatch(world: SimWorld, namespace: string, labelSelector: string): boolean {
  let selector: ReturnType<typeof parseLabelSelector>;
  try {
    selector = parseLabelSelector(labelSelector);
  } catch {
    return false;
  }
  return world.kube
    .list('v1', 'Pod')
    .some((p) => p.metadata.namespace === namespace && matchesLabels(selector, p.metadata.labels));
}

/** Why the fault aims at nothing in `world`, or undefined when it has a target (or needs none). */
export function missingTarget(world: SimWorld, fault: Fault): string | undefined {
  switch (fault.kind) {
    case 'pod-stuck-terminating':
    case 'pod-crash-loop':
    case 'redis-out-of-memory':
    case 'postgres-too-many-clients':
      return podsMatch(world, fault.namespace, fault.labelSelector)
        ? undefined
        : `no pod in namespace ${fault.namespace} matches ${fault.labelSelector}`;
    case 'volume-stuck-attached':
    case 'volume-device-missing':
      return world.kube.get('v1', 'PersistentVolumeClaim', fault.namespace, fault.pvc) === undefined
        ? `there is no PersistentVolumeClaim ${fault.namespace}/${fault.pvc}`
        : undefined;
    case 'node-not-ready':
    case 'node-memory-pressure':
      return world.kube.get('v1', 'Node', undefined, fault.node) === undefined
        ? `there is no node ${fault.node} (the nodes: ${world.kube
            .list('v1', 'Node')
            .map((n) => n.metadata.name)
            .join(', ')})`
        : undefined;
    case 'pdb-never-allows':
      return world.kube.get('policy/v1', 'PodDisruptionBudget', fault.namespace, fault.name) === undefined
        ? `there is no PodDisruptionBudget ${fault.namespace}/${fault.name}`
        : undefined;
    case 'linode-detach-never-completes':
      return world.linode.volumeByLabel(fault.volumeLabel) === undefined
        ? `there is no Linode volume labelled ${fault.volumeLabel}`
        : undefined;
    case 'nodebalancer-backends-down':
      return world.linode.nodeBalancers().some((nb) => nb.label === fault.nodebalancer)
        ? undefined
        : `there is no NodeBalancer labelled ${fault.nodebalancer}`;
    // Aimed at an API, a path or every volume: nothing of the world to miss.
    case 'api-error':
    case 'conflict-once':
    case 'latency':
    case 'linode-event-fails':
    case 'linode-missing-scope':
    case 'lke-recycle-leaves-volumes':
    case 'watch-drop':
      return undefined;
  }
}
