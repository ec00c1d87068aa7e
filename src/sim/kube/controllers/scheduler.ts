// The scheduler: binds pending pods to a Ready, schedulable node (least loaded first), or
// reports FailedScheduling with the reasons, as default-scheduler does.
import type { KubeObject } from '../../world.js';
import { isTerminal, isTerminating, podClaims, podNode } from '../pods.js';
import { parseQuantity, podRequests } from '../quantity.js';
import { tolerates } from './daemonset.js';
import { isNodeReady } from './nodes.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

function matchesNodeSelector(pod: KubeObject, node: KubeObject): boolean {
  const selector = (pod.spec as { nodeSelector?: Record<string, string> } | undefined)?.nodeSelector ?? {};
  return Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v);
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** Taints the pod does not tolerate (NoSchedule and NoExecute only). */
function untolerated(pod: KubeObject, node: KubeObject): Taint[] {
  const taints = (node.spec as { taints?: Taint[] } | undefined)?.taints ?? [];
  const tolerations =
    (pod.spec as { tolerations?: Array<Record<string, string>> } | undefined)?.tolerations ?? [];
  return taints.filter(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t),
  );
}

export function createScheduler(ctx: ControllerContext): Controller {
  const { api } = ctx;
  // Stored pods are never changed in place: their requests, parsed once, hold until they are rewritten.
  const parsed = new WeakMap<object, ReturnType<typeof podRequests>>();
  const requestsOf = (pod: Readonly<KubeObject>): ReturnType<typeof podRequests> => {
    let r = parsed.get(pod);
    if (r === undefined) {
      r = podRequests(pod.spec);
      parsed.set(pod, r);
    }
    return r;
  };
  // What each node's pods request, kept from the store's events instead of summed over every pod
  // of the cluster for each pod to place.
  const usage = new Map<string, { cpu: number; memory: number; pods: number }>();
  const account = (pod: Readonly<KubeObject> | undefined, sign: 1 | -1): void => {
    const n = pod === undefined ? undefined : podNode(pod);
    if (pod === undefined || n === undefined || isTerminal(pod)) return;
    const r = requestsOf(pod);
    const used = usage.get(n) ?? { cpu: 0, memory: 0, pods: 0 };
    usage.set(n, {
      cpu: used.cpu + sign * r.cpu,
      memory: used.memory + sign * r.memory,
      pods: used.pods + sign,
    });
  };

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const pod = api.store.get(defs.pod, namespace, name);
    if (pod === undefined || podNode(pod) !== undefined || isTerminating(pod) || isTerminal(pod)) return;
    const scheduler =
      (pod.spec as { schedulerName?: string } | undefined)?.schedulerName ?? 'default-scheduler';
    if (scheduler !== 'default-scheduler') return;

    const unbound = podClaims(pod).filter((claim) => {
      const pvc = api.store.get(defs.pvc, namespace, claim);
      return (pvc?.status as { phase?: string } | undefined)?.phase !== 'Bound';
    });
    const nodes = api.store.view(defs.node);
    const wants = podRequests(pod.spec);
    const reasons = new Map<string, number>();
    const note = (reason: string): void => {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    };
    const candidates = nodes.filter((node) => {
      if (!isNodeReady(node)) {
        note('node(s) had untolerated taint {node.kubernetes.io/unreachable: }');
        return false;
      }
      if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true) {
        note('node(s) were unschedulable');
        return false;
      }
      const taint = untolerated(pod, node)[0];
      if (taint !== undefined) {
        note(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
        return false;
      }
      if (!matchesNodeSelector(pod, node)) {
        note("node(s) didn't match Pod's node affinity/selector");
        return false;
      }
      const allocatable =
        (node.status as { allocatable?: Record<string, unknown> } | undefined)?.allocatable ?? {};
      const used = usage.get(node.metadata.name) ?? { cpu: 0, memory: 0, pods: 0 };
      let fits = true;
      if (allocatable.cpu !== undefined && used.cpu + wants.cpu > parseQuantity(allocatable.cpu) + 1e-9) {
        note('Insufficient cpu');
        fits = false;
      }
      if (
        allocatable.memory !== undefined &&
        used.memory + wants.memory > parseQuantity(allocatable.memory)
      ) {
        note('Insufficient memory');
        fits = false;
      }
      if (allocatable.pods !== undefined && used.pods + 1 > parseQuantity(allocatable.pods)) {
        note('Too many pods');
        fits = false;
      }
      return fits;
    });
    if (unbound.length > 0 || candidates.length === 0) {
      const message =
        unbound.length > 0
          ? `0/${nodes.length} nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`
          : `0/${nodes.length} nodes are available: ${[...reasons]
              .map(([r, n]) => `${n} ${r}`)
              .sort()
              .join(
                ', ',
              )}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
      const updated = api.mutate(
        defs.pod,
        namespace,
        name,
        (p) => {
          const status = (p.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
          const existing = status.conditions?.find((c) => c.type === 'PodScheduled');
          if (existing?.message === message) return;
          status.conditions = [
            ...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: api.now(),
              reason: 'Unschedulable',
              message,
            },
          ];
          p.status = status;
        },
        { subresource: 'status' },
      );
      if (updated !== undefined)
        ctx.events.record(updated, 'Warning', 'FailedScheduling', message, {
          component: 'default-scheduler',
        });
      return;
    }
    const load = (node: Readonly<KubeObject>): number => usage.get(node.metadata.name)?.pods ?? 0;
    const chosen = [...candidates].sort(
      (a, b) => load(a) - load(b) || (a.metadata.name < b.metadata.name ? -1 : 1),
    )[0];
    if (chosen === undefined) return;
    const bound = api.mutate(
      defs.pod,
      namespace,
      name,
      (p) => {
        (p.spec as { nodeName?: string }).nodeName = chosen.metadata.name;
        const status = (p.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
        status.conditions = [
          ...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
          { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: api.now() },
        ];
        p.status = status;
      },
      { subresource: 'all' },
    );
    if (bound !== undefined)
      ctx.events.record(
        bound,
        'Normal',
        'Scheduled',
        `Successfully assigned ${namespace ?? ''}/${name} to ${chosen.metadata.name}`,
        {
          component: 'default-scheduler',
        },
      );
  };

  const queue = createWorkQueue(ctx, 'scheduler', reconcile);
  const requeuePending = (): void => {
    for (const pod of api.store.view(defs.pod))
      if (podNode(pod) === undefined && !isTerminating(pod)) queue.add(keyOf(pod));
  };
  return {
    name: 'scheduler',
    onStoreEvent(event) {
      if (isDef(event, defs.pod)) {
        account(event.previous, -1);
        if (event.type !== 'DELETED') account(event.object, 1);
        if (event.type !== 'DELETED' && podNode(event.object) === undefined) queue.add(keyOf(event.object));
        else if (event.type === 'DELETED') requeuePending();
      } else if (isDef(event, defs.node) || isDef(event, defs.pvc)) requeuePending();
    },
  };
}
