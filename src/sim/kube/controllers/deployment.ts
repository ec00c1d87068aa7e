// The Deployment controller: keeps one ReplicaSet per pod template (named by pod-template-hash),
// scales the current one to spec.replicas and the old ones to 0, and reports status.
import type { KubeObject } from '../../world.js';
import { safeEncode } from '../ids.js';
import { controllerOf } from '../pods.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

interface DeploymentSpec {
  replicas?: number;
  selector?: unknown;
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: unknown;
  };
  strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
  paused?: boolean;
}

interface RsStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

export function podTemplateHash(template: unknown): string {
  return safeEncode(stableStringify(template), 10);
}

function maxUnavailable(spec: DeploymentSpec, replicas: number): number {
  if (spec.strategy?.type === 'Recreate') return replicas;
  const value = spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%';
  if (typeof value === 'number') return value;
  return Math.floor((Number(value.replace('%', '')) * replicas) / 100);
}

function setCondition(
  conditions: Array<Record<string, unknown>>,
  type: string,
  status: string,
  reason: string,
  message: string,
  now: string,
): Array<Record<string, unknown>> {
  const existing = conditions.find((c) => c.type === type);
  if (
    existing !== undefined &&
    existing.status === status &&
    existing.reason === reason &&
    existing.message === message
  )
    return conditions;
  const next = {
    type,
    status,
    lastUpdateTime: now,
    lastTransitionTime:
      existing !== undefined && existing.status === status ? existing.lastTransitionTime : now,
    reason,
    message,
  };
  return [...conditions.filter((c) => c.type !== type), next].sort((a, b) =>
    String(a.type) === 'Available' ? -1 : String(b.type) === 'Available' ? 1 : 0,
  );
}

export function createDeploymentController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const owned = (deployment: KubeObject): KubeObject[] =>
    api.store
      .view(defs.replicaSet, deployment.metadata.namespace)
      .filter((rs) => controllerOf(rs)?.uid === deployment.metadata.uid);

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const deployment = api.store.get(defs.deployment, namespace, name);
    if (deployment === undefined || deployment.metadata.deletionTimestamp !== undefined) return;
    const spec = (deployment.spec ?? {}) as DeploymentSpec;
    const replicas = spec.replicas ?? 1;
    const hash = podTemplateHash(spec.template);
    const sets = owned(deployment);
    // Like the real controller (EqualIgnoreHash): a ReplicaSet whose template equals the
    // deployment's but for the hash label is current, whoever computed its hash (a live cluster).
    let current =
      sets.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash) ??
      sets.find((rs) => sameTemplateIgnoringHash(rs, spec.template));
    const revisions = sets.map((rs) =>
      Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
    );
    const annotations = {
      'deployment.kubernetes.io/desired-replicas': String(replicas),
      'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas * 0.25)),
    };
    if (current === undefined) {
      const template = structuredClone(spec.template ?? {});
      template.metadata = {
        ...template.metadata,
        labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
      };
      const selector = structuredClone((spec.selector ?? {}) as { matchLabels?: Record<string, string> });
      selector.matchLabels = { ...selector.matchLabels, 'pod-template-hash': hash };
      current = api.create(defs.replicaSet, namespace, {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels: { ...template.metadata.labels },
          annotations: {
            ...annotations,
            'deployment.kubernetes.io/revision': String(Math.max(0, ...revisions) + 1),
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name,
              uid: deployment.metadata.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: { replicas, minReadySeconds: 0, selector, template },
      });
      ctx.events.record(
        deployment,
        'Normal',
        'ScalingReplicaSet',
        `Scaled up replica set ${current.metadata.name} from 0 to ${replicas}`,
        {
          component: 'deployment-controller',
        },
      );
    } else {
      const before = (current.spec as { replicas?: number }).replicas ?? 0;
      const updated = api.mutate(defs.replicaSet, namespace, current.metadata.name, (rs) => {
        (rs.spec as { replicas?: number }).replicas = replicas;
        rs.metadata.annotations = { ...rs.metadata.annotations, ...annotations };
      });
      if (updated !== undefined) current = updated;
      if (before !== replicas)
        ctx.events.record(
          deployment,
          'Normal',
          'ScalingReplicaSet',
          `Scaled ${replicas > before ? 'up' : 'down'} replica set ${current.metadata.name} from ${before} to ${replicas}`,
          { component: 'deployment-controller' },
        );
    }
    for (const rs of sets) {
      if (rs.metadata.uid === current.metadata.uid) continue;
      const before = (rs.spec as { replicas?: number }).replicas ?? 0;
      if (before === 0) continue;
      api.mutate(defs.replicaSet, namespace, rs.metadata.name, (o) => {
        (o.spec as { replicas?: number }).replicas = 0;
      });
      ctx.events.record(
        deployment,
        'Normal',
        'ScalingReplicaSet',
        `Scaled down replica set ${rs.metadata.name} from ${before} to 0`,
        {
          component: 'deployment-controller',
        },
      );
    }

    // Status, from the ReplicaSets as they are now.
    const all = owned(deployment);
    const sum = (f: keyof RsStatus): number =>
      all.reduce((n, rs) => n + ((rs.status as RsStatus | undefined)?.[f] ?? 0), 0);
    const currentStatus = (all.find((rs) => rs.metadata.uid === current.metadata.uid)?.status ??
      {}) as RsStatus;
    const total = sum('replicas');
    const ready = sum('readyReplicas');
    const available = sum('availableReplicas');
    const updatedReplicas = currentStatus.replicas ?? 0;
    const now = api.now();
    api.mutate(
      defs.deployment,
      namespace,
      name,
      (d) => {
        const status = (d.status ?? {}) as Record<string, unknown>;
        const conditions = (status.conditions ?? []) as Array<Record<string, unknown>>;
        const minAvailable = replicas - maxUnavailable(spec, replicas);
        let next = setCondition(
          conditions,
          'Available',
          available >= minAvailable ? 'True' : 'False',
          available >= minAvailable ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          available >= minAvailable
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
          now,
        );
        const complete = updatedReplicas === replicas && available >= replicas && total === replicas;
        const rsName = current.metadata.name;
        next = setCondition(
          next,
          'Progressing',
          'True',
          complete
            ? 'NewReplicaSetAvailable'
            : sets.some((rs) => rs.metadata.uid === current.metadata.uid)
              ? 'ReplicaSetUpdated'
              : 'NewReplicaSetCreated',
          complete
            ? `ReplicaSet "${rsName}" has successfully progressed.`
            : sets.some((rs) => rs.metadata.uid === current.metadata.uid)
              ? `ReplicaSet "${rsName}" is progressing.`
              : `Created new replica set "${rsName}"`,
          now,
        );
        const out: Record<string, unknown> = { observedGeneration: d.metadata.generation };
        if (total > 0) out.replicas = total;
        if (updatedReplicas > 0) out.updatedReplicas = updatedReplicas;
        if (ready > 0) out.readyReplicas = ready;
        if (available > 0) out.availableReplicas = available;
        if (total - available > 0) out.unavailableReplicas = total - available;
        else if (replicas - available > 0) out.unavailableReplicas = replicas - available;
        out.conditions = next;
        d.status = out;
      },
      { subresource: 'status' },
    );
  };

  const queue = createWorkQueue(ctx, 'deployment', reconcile);
  return {
    name: 'deployment',
    onStoreEvent(event) {
      if (isDef(event, defs.deployment)) queue.add(keyOf(event.object));
      else if (isDef(event, defs.replicaSet)) {
        const owner = controllerOf(event.object);
        if (owner?.kind === 'Deployment') queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
      }
    },
  };
}

function sameTemplateIgnoringHash(rs: KubeObject, template: unknown): boolean {
  const rsTemplate = structuredClone(
    (rs.spec as { template?: { metadata?: { labels?: Record<string, string> } } })?.template,
  );
  if (rsTemplate?.metadata?.labels !== undefined) delete rsTemplate.metadata.labels['pod-template-hash'];
  return stableStringify(rsTemplate) === stableStringify(template);
}
