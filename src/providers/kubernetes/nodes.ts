// What node-drain, node-recycle and volume-reattach read and change in Kubernetes: pods by node,
// budgets, volumes and their users; cordon; evictions with bounded concurrency and a deadline.
import type { V1Pod } from '@kubernetes/client-node';
import { abortableDelay } from '../../engine/delay.js';
import type { ClaimUser, EvictionBlocked, MutationOptions, PodRef } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { kubeCall, kubeError, statusOf } from './errors.js';
import { PAGE_SIZE, listAllPages } from './paging.js';

const selectorOf = (matchLabels: Record<string, string> | undefined): string =>
  Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export function listPodsOnNode(clients: KubeClients, node: string): Promise<V1Pod[]> {
  return kubeCall(clients.identity.server, `list pods on node ${node}`, () =>
    listAllPages((cont) =>
      clients.core.listPodForAllNamespaces({
        fieldSelector: `spec.nodeName=${node}`,
        limit: PAGE_SIZE,
        _continue: cont,
      }),
    ),
  );
}

export async function listClaimUsers(clients: KubeClients, namespace: string): Promise<ClaimUser[]> {
  const { apps } = clients;
  const server = clients.identity.server;
  const deployments = await kubeCall(server, `list deployments in ${namespace}`, () =>
    listAllPages((cont) => apps.listNamespacedDeployment({ namespace, limit: PAGE_SIZE, _continue: cont })),
  );
  const statefulSets = await kubeCall(server, `list statefulsets in ${namespace}`, () =>
    listAllPages((cont) => apps.listNamespacedStatefulSet({ namespace, limit: PAGE_SIZE, _continue: cont })),
  );
  const users: ClaimUser[] = [];
  for (const d of deployments) {
    const claims = (d.spec?.template.spec?.volumes ?? []).flatMap((v) =>
      v.persistentVolumeClaim === undefined ? [] : [v.persistentVolumeClaim.claimName],
    );
    if (claims.length === 0) continue;
    const name = d.metadata?.name ?? '';
    users.push({
      target: { namespace, kind: 'Deployment', name },
      replicas: d.spec?.replicas ?? 1,
      selector: selectorOf(d.spec?.selector.matchLabels),
      claims,
    });
  }
  for (const s of statefulSets) {
    const name = s.metadata?.name ?? '';
    const replicas = s.spec?.replicas ?? 1;
    const ordinals = Array.from({ length: Math.max(replicas, 1) }, (_, i) => i);
    const claims = [
      ...(s.spec?.template.spec?.volumes ?? []).flatMap((v) =>
        v.persistentVolumeClaim === undefined ? [] : [v.persistentVolumeClaim.claimName],
      ),
      ...(s.spec?.volumeClaimTemplates ?? []).flatMap((t) =>
        ordinals.map((i) => `${t.metadata?.name ?? ''}-${name}-${i}`),
      ),
    ];
    if (claims.length === 0) continue;
    users.push({
      target: { namespace, kind: 'StatefulSet', name },
      replicas,
      selector: selectorOf(s.spec?.selector.matchLabels),
      claims,
    });
  }
  return users;
}

export async function cordon(
  clients: KubeClients,
  node: string,
  unschedulable: boolean,
  options: MutationOptions,
): Promise<void> {
  const { lib, core } = clients;
  const strategic = lib.setHeaderOptions('Content-Type', lib.PatchStrategy.StrategicMergePatch);
  // Setting the field to the value it has is harmless: a retry after a lost answer does nothing.
  await kubeCall(clients.identity.server, `${unschedulable ? 'cordon' : 'uncordon'} node ${node}`, () =>
    core.patchNode(
      {
        name: node,
        body: { spec: { unschedulable: unschedulable ? true : null } },
        ...(options.dryRun === true ? { dryRun: 'All' } : {}),
      },
      strategic,
    ),
  );
}

/** The sentence the API server gives for a refused eviction: the budget and what it needs. */
function refusal(error: unknown): string {
  const status = statusOf(error);
  const body = (error as { body?: unknown }).body;
  let causes: Array<{ message?: string }> = [];
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as {
      details?: { causes?: Array<{ message?: string }> };
    };
    causes = parsed.details?.causes ?? [];
  } catch {
    causes = [];
  }
  const named = causes.map((c) => c.message ?? '').filter((m) => m !== '');
  return named.length > 0 ? named.join('; ') : (status?.message ?? 'refused by a PodDisruptionBudget');
}

const isGone = (error: unknown): boolean => {
  const status = statusOf(error);
  // 404: already gone; 409 on a uid precondition: this incarnation is gone, a replacement is not ours.
  return status?.code === 404 || (status?.code === 409 && /precondition|UID/i.test(status.message ?? ''));
};

/** Evictions with at most `concurrency` in flight; budgets that refuse are retried until the deadline. */
export async function evictPods(
  clients: KubeClients,
  pods: readonly PodRef[],
  limits: { readonly concurrency: number; readonly timeoutMs: number },
  options: MutationOptions,
): Promise<EvictionBlocked[]> {
  const { core } = clients;
  const deadline = Date.now() + limits.timeoutMs;
  const queue = [...pods];
  const blocked: EvictionBlocked[] = [];
  const dryRun = options.dryRun === true;

  async function evictOne(pod: PodRef): Promise<void> {
    let delay = 250;
    let transient = 0;
    for (;;) {
      try {
        await core.createNamespacedPodEviction({
          name: pod.name,
          namespace: pod.namespace,
          ...(dryRun ? { dryRun: 'All' } : {}),
          body: {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name: pod.name, namespace: pod.namespace },
            deleteOptions: { preconditions: { uid: pod.uid }, ...(dryRun ? { dryRun: ['All'] } : {}) },
          },
        });
        return;
      } catch (error) {
        if (isGone(error) && !dryRun) return;
        const code = statusOf(error)?.code;
        if (code === 429) {
          // A budget says not now: its pods elsewhere must become Ready first. Retried, bounded.
          if (dryRun || Date.now() + delay > deadline) {
            blocked.push({ pod, reason: refusal(error) });
            return;
          }
        } else if ((code === undefined || code >= 500) && transient < 4) {
          transient += 1;
        } else {
          throw kubeError(error, clients.identity.server, `evict pod ${pod.namespace}/${pod.name}`);
        }
        await abortableDelay(delay, new AbortController().signal);
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  const workers = Array.from(
    { length: Math.max(1, Math.min(limits.concurrency, queue.length)) },
    async () => {
      for (let pod = queue.shift(); pod !== undefined; pod = queue.shift()) await evictOne(pod);
    },
  );
  await Promise.all(workers);
  return blocked;
}
