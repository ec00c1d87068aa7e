// Deployments, DaemonSets and StatefulSets read as one WorkloadView, and Service node ports: what
// core-services-restart, resource-limits-audit and nodebalancer-check read. Every list is paged.
import type { V1DaemonSet, V1Deployment, V1PodTemplateSpec, V1StatefulSet } from '@kubernetes/client-node';
import type { NodePortView, WorkloadRef, WorkloadView } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { PAGE_SIZE, listAllPages } from './paging.js';

const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

const selectorOf = (matchLabels: Record<string, string> | undefined): string =>
  Object.entries(matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

function templateFacts(
  template: V1PodTemplateSpec | undefined,
): Pick<WorkloadView, 'restartedAt' | 'containers'> {
  return {
    restartedAt: template?.metadata?.annotations?.[RESTARTED_AT],
    containers: (template?.spec?.containers ?? []).map((c) => ({
      name: c.name,
      resources: {
        ...(c.resources?.requests === undefined ? {} : { requests: { ...c.resources.requests } }),
        ...(c.resources?.limits === undefined ? {} : { limits: { ...c.resources.limits } }),
      },
    })),
  };
}

const observedOf = (observed: number | undefined, generation: number | undefined): boolean =>
  (observed ?? 0) >= (generation ?? 0);

export function deploymentView(d: V1Deployment): WorkloadView {
  const want = d.spec?.replicas ?? 1;
  return {
    ref: { namespace: d.metadata?.namespace ?? '', kind: 'Deployment', name: d.metadata?.name ?? '' },
    selector: selectorOf(d.spec?.selector.matchLabels),
    desired: want,
    ready: d.status?.readyReplicas ?? 0,
    updated: d.status?.updatedReplicas ?? 0,
    observed: observedOf(d.status?.observedGeneration, d.metadata?.generation),
    ...templateFacts(d.spec?.template),
  };
}

export function daemonSetView(d: V1DaemonSet): WorkloadView {
  return {
    ref: { namespace: d.metadata?.namespace ?? '', kind: 'DaemonSet', name: d.metadata?.name ?? '' },
    selector: selectorOf(d.spec?.selector.matchLabels),
    desired: d.status?.desiredNumberScheduled ?? 0,
    ready: d.status?.numberReady ?? 0,
    updated: d.status?.updatedNumberScheduled ?? 0,
    observed: observedOf(d.status?.observedGeneration, d.metadata?.generation),
    ...templateFacts(d.spec?.template),
  };
}

export function statefulSetView(s: V1StatefulSet): WorkloadView {
  const want = s.spec?.replicas ?? 1;
  return {
    ref: { namespace: s.metadata?.namespace ?? '', kind: 'StatefulSet', name: s.metadata?.name ?? '' },
    selector: selectorOf(s.spec?.selector.matchLabels),
    desired: want,
    ready: s.status?.readyReplicas ?? 0,
    updated: s.status?.updatedReplicas ?? 0,
    observed: observedOf(s.status?.observedGeneration, s.metadata?.generation),
    ...templateFacts(s.spec?.template),
  };
}

export async function readWorkload(clients: KubeClients, ref: WorkloadRef): Promise<WorkloadView> {
  const { apps } = clients;
  const { namespace, name } = ref;
  switch (ref.kind) {
    case 'Deployment':
      return deploymentView(await apps.readNamespacedDeployment({ namespace, name }));
    case 'DaemonSet':
      return daemonSetView(await apps.readNamespacedDaemonSet({ namespace, name }));
    case 'StatefulSet':
      return statefulSetView(await apps.readNamespacedStatefulSet({ namespace, name }));
  }
}

export async function listWorkloads(
  clients: KubeClients,
  /** A namespace, or 'all' for every one. */
  namespace: string,
): Promise<WorkloadView[]> {
  const { apps } = clients;
  const all = namespace === 'all';
  const page = { limit: PAGE_SIZE };
  const deployments = await listAllPages((cont) =>
    all
      ? apps.listDeploymentForAllNamespaces({ ...page, _continue: cont })
      : apps.listNamespacedDeployment({ namespace, ...page, _continue: cont }),
  );
  const daemonSets = await listAllPages((cont) =>
    all
      ? apps.listDaemonSetForAllNamespaces({ ...page, _continue: cont })
      : apps.listNamespacedDaemonSet({ namespace, ...page, _continue: cont }),
  );
  const statefulSets = await listAllPages((cont) =>
    all
      ? apps.listStatefulSetForAllNamespaces({ ...page, _continue: cont })
      : apps.listNamespacedStatefulSet({ namespace, ...page, _continue: cont }),
  );
  return [
    ...deployments.map(deploymentView),
    ...daemonSets.map(daemonSetView),
    ...statefulSets.map(statefulSetView),
  ];
}

export async function listNodePorts(clients: KubeClients): Promise<NodePortView[]> {
  const services = await listAllPages((cont) =>
    clients.core.listServiceForAllNamespaces({ limit: PAGE_SIZE, _continue: cont }),
  );
  return services.flatMap((s) =>
    (s.spec?.ports ?? []).flatMap((p) =>
      p.nodePort === undefined
        ? []
        : [
            {
              namespace: s.metadata?.namespace ?? '',
              service: s.metadata?.name ?? '',
              port: p.port,
              nodePort: p.nodePort,
            },
          ],
    ),
  );
}
