// The ReplicaSet controller: creates pods from the template up to spec.replicas, deletes the
// surplus gracefully (least-progressed first), and reports replica counts in status.
import type { KubeObject } from '../../world.js';
import { controllerOf, isPodReady, isTerminal, isTerminating, podNode } from '../pods.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** Which pod to delete first: unscheduled, then not running, then not ready, then newest. */
function deletionRank(pod: KubeObject): number[] {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return [
    podNode(pod) === undefined ? 0 : 1,
    phase === 'Pending' ? 0 : phase === 'Running' ? 2 : 1,
    isPodReady(pod) ? 1 : 0,
    -Date.parse(pod.metadata.creationTimestamp ?? '0'),
  ];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function createReplicaSetController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const rs = api.store.get(defs.replicaSet, namespace, name);
    if (rs === undefined) return;
    const spec = (rs.spec ?? {}) as { replicas?: number; template?: Template };
    const desired = rs.metadata.deletionTimestamp !== undefined ? 0 : (spec.replicas ?? 1);
    const pods = api.store.view(defs.pod, namespace).filter((p) => controllerOf(p)?.uid === rs.metadata.uid);
    const active = pods.filter((p) => !isTerminating(p) && !isTerminal(p));

    if (rs.metadata.deletionTimestamp === undefined && active.length < desired) {
      for (let i = active.length; i < desired; i += 1) {
        const template = structuredClone(spec.template ?? {});
        const pod = api.create(defs.pod, namespace, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: `${name}-${ctx.ids.suffix()}`,
            generateName: `${name}-`,
            namespace,
            labels: { ...template.metadata?.labels },
            ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
            ownerReferences: [
              {
                apiVersion: 'apps/v1',
                kind: 'ReplicaSet',
                name,
                uid: rs.metadata.uid ?? '',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          spec: template.spec ?? {},
        });
        ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
          component: 'replicaset-controller',
        });
      }
    } else if (active.length > desired) {
      const victims = [...active]
        .sort((a, b) => compareRanks(deletionRank(a), deletionRank(b)))
        .slice(0, active.length - desired);
      for (const pod of victims) {
        api.delete(defs.pod, namespace, pod.metadata.name, {});
        ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, {
          component: 'replicaset-controller',
        });
      }
    }

    const now = api.store
      .view(defs.pod, namespace)
      .filter((p) => controllerOf(p)?.uid === rs.metadata.uid && !isTerminating(p) && !isTerminal(p));
    const ready = now.filter(isPodReady).length;
    api.mutate(
      defs.replicaSet,
      namespace,
      name,
      (o) => {
        const status: Record<string, unknown> = { replicas: now.length };
        if (now.length > 0) status.fullyLabeledReplicas = now.length;
        if (ready > 0) {
          status.readyReplicas = ready;
          status.availableReplicas = ready;
        }
        status.observedGeneration = o.metadata.generation;
        o.status = status;
      },
      { subresource: 'status' },
    );
  };

  const queue = createWorkQueue(ctx, 'replicaset', reconcile);
  return {
    name: 'replicaset',
    onStoreEvent(event) {
      if (isDef(event, defs.replicaSet)) queue.add(keyOf(event.object));
      else if (isDef(event, defs.pod)) {
        const owner =
          controllerOf(event.object) ?? (event.previous ? controllerOf(event.previous) : undefined);
        if (owner?.kind === 'ReplicaSet') queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
      }
    },
  };
}
