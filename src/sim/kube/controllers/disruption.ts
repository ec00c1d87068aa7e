// The disruption controller: each PodDisruptionBudget's status (expected, healthy, desired pods,
// disruptionsAllowed and the DisruptionAllowed condition), so `kubectl get pdb` and readers see
// what eviction will decide; the pdb-never-allows fault pins disruptionsAllowed at 0.
import type { FaultSet, KubeObject } from '../../world.js';
import { budget } from '../eviction.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

export function pdbNeverAllows(faults: FaultSet, pdb: KubeObject): boolean {
  return faults
    .list()
    .some(
      (f) =>
        f.kind === 'pdb-never-allows' &&
        f.namespace === pdb.metadata.namespace &&
        f.name === pdb.metadata.name,
    );
}

export function createDisruptionController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const pdb = api.store.get(defs.pdb, namespace, name);
    if (pdb === undefined || pdb.metadata.deletionTimestamp !== undefined) return;
    const b = budget(pdb, api.store.view(defs.pod, namespace));
    const allowed = pdbNeverAllows(ctx.faults, pdb) ? 0 : Math.max(0, b.healthy - b.desired);
    api.mutate(
      defs.pdb,
      namespace,
      name,
      (o) => {
        const previous = ((o.status as { conditions?: Array<Record<string, unknown>> } | undefined)
          ?.conditions ?? [])[0];
        const status = allowed > 0 ? 'True' : 'False';
        const reason = allowed > 0 ? 'SufficientPods' : 'InsufficientPods';
        o.status = {
          observedGeneration: o.metadata.generation,
          disruptionsAllowed: allowed,
          currentHealthy: b.healthy,
          desiredHealthy: b.desired,
          expectedPods: b.expected,
          conditions: [
            {
              type: 'DisruptionAllowed',
              status,
              reason,
              message: '',
              observedGeneration: o.metadata.generation,
              lastTransitionTime:
                previous?.status === status ? (previous.lastTransitionTime ?? api.now()) : api.now(),
            },
          ],
        };
      },
      { subresource: 'status' },
    );
  };

  const queue = createWorkQueue(ctx, 'disruption', reconcile);
  const all = (namespace?: string): void => {
    for (const pdb of api.store.view(defs.pdb, namespace)) queue.add(keyOf(pdb));
  };
  return {
    name: 'disruption',
    onStoreEvent(event) {
      if (isDef(event, defs.pdb)) {
        if (event.type !== 'DELETED') queue.add(keyOf(event.object));
      } else if (isDef(event, defs.pod)) all(event.object.metadata.namespace);
    },
    onFaultsChange: () => all(),
  };
}
