// What node-drain, node-recycle and volume-reattach read and change in Kubernetes: pods by node,
// budgets, volumes and their users; cordon; evictions (evictions.ts) with bounded concurrency and a deadline.
import type { V1Pod } from '@kubernetes/client-node';
import type { ClaimUser, MutationOptions } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { kubeCall } from './errors.js';
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

export { evictPods } from './evictions.js';
