// The DaemonSet controller: one pod per node the set may run on (node selector, taints against its
// tolerations, which include the ones every DaemonSet pod gets), bound straight to its node, kept
// through NotReady and cordons, rolled one node at a time when the template changes.
import type { KubeObject } from '../../world.js';
import { controllerOf, isPodReady, isTerminal, isTerminating, podNode } from '../pods.js';
import { podTemplateHash } from './deployment.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface DaemonSetSpec {
  selector?: unknown;
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: Record<string, unknown> & { tolerations?: Toleration[]; hostNetwork?: boolean };
  };
}

const SOURCE = { component: 'daemonset-controller' };

/** Tolerations the DaemonSet controller adds to every pod it makes (pkg/controller/daemon/util). */
function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const list: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork)
    list.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return list;
}

export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some(
    (t) =>
      (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
      ((t.key === undefined && t.operator === 'Exists') ||
        (t.key === taint.key && (t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '')))),
  );
}

function mayRunOn(node: KubeObject, spec: DaemonSetSpec, tolerations: readonly Toleration[]): boolean {
  const selector = (spec.template?.spec?.nodeSelector ?? {}) as Record<string, string>;
  if (!Object.entries(selector).every(([k, v]) => node.metadata.labels?.[k] === v)) return false;
  const taints = (node.spec as { taints?: Taint[] } | undefined)?.taints ?? [];
  // The unreachable NoSchedule taint of a NotReady node is tolerated too: the pod is kept there.
  return taints
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .every((t) => t.key === 'node.kubernetes.io/unreachable' || tolerates(tolerations, t));
}

export function createDaemonSetController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const set = api.store.get(defs.daemonSet, namespace, name);
    if (set === undefined || set.metadata.deletionTimestamp !== undefined) return;
    const spec = (set.spec ?? {}) as DaemonSetSpec;
    const hash = podTemplateHash(spec.template);
    const hostNetwork = spec.template?.spec?.hostNetwork === true;
    const own = spec.template?.spec?.tolerations ?? [];
    const tolerations = [
      ...own,
      ...daemonTolerations(hostNetwork).filter((t) => !own.some((o) => o.key === t.key)),
    ];
    const nodes = api.store.view(defs.node);
    const wanted = new Set(nodes.filter((n) => mayRunOn(n, spec, tolerations)).map((n) => n.metadata.name));
    const pods = api.store.view(defs.pod, namespace).filter((p) => controllerOf(p)?.uid === set.metadata.uid);
    const byNode = new Map<string, KubeObject[]>();
    for (const pod of pods) {
      const node = podNode(pod) ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }

    const remove = (pod: KubeObject): void => {
      if (isTerminating(pod)) return;
      api.delete(defs.pod, pod.metadata.namespace, pod.metadata.name, {});
      ctx.events.record(set, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
    };

    for (const [node, list] of byNode) {
      if (!wanted.has(node)) list.forEach(remove);
      else {
        for (const pod of list) if (isTerminal(pod)) remove(pod);
        const live = list.filter((p) => !isTerminal(p) && !isTerminating(p));
        live.slice(1).forEach(remove);
      }
    }

    for (const node of wanted) {
      const live = (byNode.get(node) ?? []).filter((p) => !isTerminal(p));
      if (live.length > 0) continue;
      const template = structuredClone(spec.template ?? {});
      const podSpec: Record<string, unknown> = template.spec ?? {};
      podSpec.tolerations = tolerations;
      podSpec.affinity = {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
          },
        },
      };
      podSpec.nodeName = node;
      const pod = api.create(defs.pod, namespace, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${name}-${ctx.ids.suffix()}`,
          generateName: `${name}-`,
          namespace,
          labels: {
            ...template.metadata?.labels,
            'controller-revision-hash': hash,
            'pod-template-generation': String(set.metadata.generation ?? 1),
          },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'DaemonSet',
              name,
              uid: set.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: podSpec,
      });
      ctx.events.record(set, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, SOURCE);
    }

    // Rolling update, maxUnavailable 1: replace one stale pod while every other one is available.
    const current = api.store
      .view(defs.pod, namespace)
      .filter((p) => controllerOf(p)?.uid === set.metadata.uid && !isTerminal(p));
    const unavailable = current.filter((p) => isTerminating(p) || !isPodReady(p)).length;
    const stale = current.find(
      (p) => !isTerminating(p) && p.metadata.labels?.['controller-revision-hash'] !== hash,
    );
    // Like the real controller, stale pods that are not available (crash-looping) are replaced at once,
    // outside the maxUnavailable budget: a rollout restart is how a broken DaemonSet is fixed.
    const staleUnavailable = current.filter(
      (p) => !isTerminating(p) && !isPodReady(p) && p.metadata.labels?.['controller-revision-hash'] !== hash,
    );
    for (const pod of staleUnavailable) remove(pod);
    if (unavailable === 0 && stale !== undefined) remove(stale);

    const scheduled = current.filter((p) => wanted.has(podNode(p) ?? ''));
    const ready = scheduled.filter((p) => isPodReady(p) && !isTerminating(p)).length;
    const updated = scheduled.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length;
    api.mutate(
      defs.daemonSet,
      namespace,
      name,
      (o) => {
        const status: Record<string, unknown> = {
          currentNumberScheduled: new Set(scheduled.map(podNode)).size,
          numberMisscheduled: current.filter((p) => !wanted.has(podNode(p) ?? '')).length,
          desiredNumberScheduled: wanted.size,
          numberReady: ready,
          observedGeneration: o.metadata.generation,
        };
        if (updated > 0) status.updatedNumberScheduled = updated;
        if (ready > 0) status.numberAvailable = ready;
        if (wanted.size - ready > 0) status.numberUnavailable = wanted.size - ready;
        o.status = status;
      },
      { subresource: 'status' },
    );
  };

  const queue = createWorkQueue(ctx, 'daemonset', reconcile);
  const all = (): void => {
    for (const set of api.store.list(defs.daemonSet)) queue.add(keyOf(set));
  };
  return {
    name: 'daemonset',
    onStoreEvent(event) {
      if (isDef(event, defs.daemonSet)) {
        if (event.type !== 'DELETED') queue.add(keyOf(event.object));
      } else if (isDef(event, defs.node)) all();
      else if (isDef(event, defs.pod)) {
        const owner =
          controllerOf(event.object) ?? (event.previous ? controllerOf(event.previous) : undefined);
        if (owner?.kind === 'DaemonSet') queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
      }
    },
  };
}
