// The StatefulSet controller: pods name-0..name-(n-1), one claim per volumeClaimTemplate and
// ordinal (kept on scale-down), OrderedReady (create in order once the previous is Ready; delete
// from the highest ordinal, one at a time), rolling updates in reverse order, and status.
import type { KubeObject } from '../../world.js';
import { controllerOf, isPodReady, isTerminal, isTerminating } from '../pods.js';
import { podTemplateHash } from './deployment.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown> & { volumes?: Array<{ name: string }> };
}

interface ClaimTemplate {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  selector?: unknown;
  podManagementPolicy?: string;
  template?: Template;
  volumeClaimTemplates?: ClaimTemplate[];
}

const SOURCE = { component: 'statefulset-controller' };

function ordinalOf(setName: string, pod: KubeObject): number | undefined {
  const m = /^(.*)-(\d+)$/.exec(pod.metadata.name);
  if (m?.[1] !== setName || m[2] === undefined) return undefined;
  return Number(m[2]);
}

export function createStatefulSetController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const claimName = (template: ClaimTemplate, set: string, ordinal: number): string =>
    `${template.metadata?.name ?? 'data'}-${set}-${ordinal}`;

  const ensureClaims = (set: KubeObject, spec: StatefulSetSpec, ordinal: number, podName: string): void => {
    const namespace = set.metadata.namespace;
    const matchLabels =
      (spec.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
    for (const template of spec.volumeClaimTemplates ?? []) {
      const name = claimName(template, set.metadata.name, ordinal);
      if (api.store.get(defs.pvc, namespace, name) !== undefined) continue;
      api.create(defs.pvc, namespace, {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name,
          namespace,
          labels: { ...template.metadata?.labels, ...matchLabels },
          ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        },
        spec: structuredClone(template.spec ?? {}),
      });
      ctx.events.record(
        set,
        'Normal',
        'SuccessfulCreate',
        `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata.name} success`,
        SOURCE,
      );
    }
  };

  const createPod = (set: KubeObject, spec: StatefulSetSpec, ordinal: number, revision: string): void => {
    const name = `${set.metadata.name}-${ordinal}`;
    const namespace = set.metadata.namespace;
    ensureClaims(set, spec, ordinal, name);
    const template = structuredClone(spec.template ?? {});
    const podSpec = template.spec ?? {};
    const claimVolumes = (spec.volumeClaimTemplates ?? []).map((t) => ({
      name: t.metadata?.name ?? 'data',
      persistentVolumeClaim: { claimName: claimName(t, set.metadata.name, ordinal) },
    }));
    podSpec.volumes = [
      ...claimVolumes,
      ...(podSpec.volumes ?? []).filter((v) => !claimVolumes.some((c) => c.name === v.name)),
    ];
    podSpec.hostname = name;
    if (spec.serviceName !== undefined && spec.serviceName !== '') podSpec.subdomain = spec.serviceName;
    api.create(defs.pod, namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        labels: {
          ...template.metadata?.labels,
          'apps.kubernetes.io/pod-index': String(ordinal),
          'controller-revision-hash': revision,
          'statefulset.kubernetes.io/pod-name': name,
        },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            name: set.metadata.name,
            uid: set.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: podSpec,
    });
    ctx.events.record(
      set,
      'Normal',
      'SuccessfulCreate',
      `create Pod ${name} in StatefulSet ${set.metadata.name} successful`,
      SOURCE,
    );
  };

  const deletePod = (set: KubeObject, pod: KubeObject): void => {
    api.delete(defs.pod, pod.metadata.namespace, pod.metadata.name, {});
    ctx.events.record(
      set,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
      SOURCE,
    );
  };

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const set = api.store.get(defs.statefulSet, namespace, name);
    if (set === undefined || set.metadata.deletionTimestamp !== undefined) return;
    const spec = (set.spec ?? {}) as StatefulSetSpec;
    const replicas = spec.replicas ?? 1;
    const ordered = spec.podManagementPolicy !== 'Parallel';
    const revision = `${name}-${podTemplateHash(spec.template)}`;
    const owned = api.store
      .list(defs.pod, namespace)
      .filter((p) => controllerOf(p)?.uid === set.metadata.uid && ordinalOf(name, p) !== undefined);
    const byOrdinal = new Map(owned.map((p) => [ordinalOf(name, p) ?? -1, p]));

    // Failed pods are replaced, as the real controller does.
    for (const pod of owned) if (isTerminal(pod) && !isTerminating(pod)) deletePod(set, pod);

    let blocked = false;
    for (let i = 0; i < replicas; i += 1) {
      const pod = byOrdinal.get(i);
      if (pod === undefined) {
        if (blocked) break;
        createPod(set, spec, i, revision);
        if (ordered) blocked = true;
        continue;
      }
      if (ordered && (isTerminating(pod) || !isPodReady(pod))) blocked = true;
    }

    const surplus = owned
      .filter((p) => (ordinalOf(name, p) ?? 0) >= replicas && !isTerminating(p))
      .sort((a, b) => (ordinalOf(name, b) ?? 0) - (ordinalOf(name, a) ?? 0));
    const condemnedTerminating = owned.some((p) => (ordinalOf(name, p) ?? 0) >= replicas && isTerminating(p));
    if (surplus.length > 0) {
      if (!ordered) for (const pod of surplus) deletePod(set, pod);
      else if (!condemnedTerminating) {
        const first = surplus[0];
        const lowerReady = owned
          .filter((p) => (ordinalOf(name, p) ?? 0) < replicas)
          .every((p) => isPodReady(p) && !isTerminating(p));
        if (first !== undefined && lowerReady) deletePod(set, first);
      }
    } else if (!blocked && !condemnedTerminating) {
      // Rolling update: replace the highest-ordinal pod of an old revision once all are Ready.
      const current = [...byOrdinal.entries()].filter(([i]) => i < replicas);
      const allReady =
        current.length === replicas && current.every(([, p]) => isPodReady(p) && !isTerminating(p));
      const stale = current
        .filter(([, p]) => p.metadata.labels?.['controller-revision-hash'] !== revision)
        .sort(([a], [b]) => b - a)[0];
      if (allReady && stale !== undefined) deletePod(set, stale[1]);
    }

    const live = api.store
      .list(defs.pod, namespace)
      .filter((p) => controllerOf(p)?.uid === set.metadata.uid && !isTerminal(p));
    const ready = live.filter((p) => isPodReady(p) && !isTerminating(p)).length;
    const updated = live.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision).length;
    api.mutate(
      defs.statefulSet,
      namespace,
      name,
      (o) => {
        const status: Record<string, unknown> = {
          observedGeneration: o.metadata.generation,
          replicas: live.length,
          availableReplicas: ready,
          currentRevision: revision,
          updateRevision: revision,
          collisionCount: 0,
        };
        if (ready > 0) status.readyReplicas = ready;
        if (live.length > 0) status.currentReplicas = updated;
        if (updated > 0) status.updatedReplicas = updated;
        o.status = status;
      },
      { subresource: 'status' },
    );
  };

  const queue = createWorkQueue(ctx, 'statefulset', reconcile);
  return {
    name: 'statefulset',
    onStoreEvent(event) {
      if (isDef(event, defs.statefulSet)) {
        if (event.type !== 'DELETED') queue.add(keyOf(event.object));
      } else if (isDef(event, defs.pod)) {
        const owner =
          controllerOf(event.object) ?? (event.previous ? controllerOf(event.previous) : undefined);
        if (owner?.kind === 'StatefulSet')
          queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
      }
    },
  };
}
