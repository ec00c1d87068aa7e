// The pods/eviction subresource: a delete that PodDisruptionBudgets may refuse with 429.
import type { KubeObject } from '../world.js';
import type { Api, DeleteOptions } from './api.js';
import { errors } from './errors.js';
import { mustFindByKind } from './registry.js';
import { labelSelectorFromObject, matchesLabels } from './selectors.js';
import { isPodReady, isTerminating } from './pods.js';

function resolve(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) {
    const exact = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return Number(value) || 0;
}

/** What a PDB allows right now: computed from the pods, as the disruption controller would. */
export function budget(
  pdb: KubeObject,
  pods: ReadonlyArray<Readonly<KubeObject>>,
): { expected: number; healthy: number; desired: number } {
  const spec = (pdb.spec ?? {}) as { selector?: unknown; minAvailable?: unknown; maxUnavailable?: unknown };
  const selector = labelSelectorFromObject(spec.selector);
  const matching = pods.filter(
    (p) => p.metadata.namespace === pdb.metadata.namespace && matchesLabels(selector, p.metadata.labels),
  );
  const expected = matching.length;
  const healthy = matching.filter((p) => isPodReady(p) && !isTerminating(p)).length;
  let desired: number;
  if (spec.minAvailable !== undefined) desired = resolve(spec.minAvailable, expected, true);
  else if (spec.maxUnavailable !== undefined)
    desired = expected - resolve(spec.maxUnavailable, expected, true);
  else desired = expected;
  return { expected, healthy, desired: Math.max(0, desired) };
}

export function evict(
  api: Api,
  namespace: string,
  name: string,
  options: DeleteOptions,
  neverAllows: (pdb: KubeObject) => boolean = () => false,
): Record<string, unknown> {
  const podDef = mustFindByKind('v1', 'Pod');
  const pdbDef = mustFindByKind('policy/v1', 'PodDisruptionBudget');
  const pod = api.get(podDef, namespace, name);
  if (!isTerminating(pod) && isPodReady(pod)) {
    const pods = api.store.view(podDef, namespace);
    const pdbs = api.store
      .list(pdbDef, namespace)
      .filter((pdb) =>
        matchesLabels(
          labelSelectorFromObject((pdb.spec as { selector?: unknown } | undefined)?.selector),
          pod.metadata.labels,
        ),
      );
    if (pdbs.length > 1)
      throw errors.internal(
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      );
    const pdb = pdbs[0];
    if (pdb !== undefined) {
      const b = budget(pdb, pods);
      if (b.healthy - b.desired <= 0 || neverAllows(pdb))
        throw errors.tooManyRequests(
          "Cannot evict pod as it would violate the pod's disruption budget.",
          [
            {
              reason: 'DisruptionBudget',
              message: `The disruption budget ${pdb.metadata.name} needs ${b.desired} healthy pods and has ${b.healthy} currently`,
            },
          ],
          0,
        );
    }
  }
  api.delete(podDef, namespace, name, options);
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
}
