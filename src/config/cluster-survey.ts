// What `runbook config init` reads from a cluster to start a team's file: the Postgres workloads (a
// Deployment or StatefulSet whose name or image says postgres), their labels, and where the cluster
// lock's Lease already lives. Reads only.
import type { V1Deployment, V1StatefulSet } from '@kubernetes/client-node';
import { LOCK_NAME } from '../engine/lock.js';
import type { KubeClients } from '../providers/kubernetes/connect.js';
import { PAGE_SIZE, listAllPages } from '../providers/kubernetes/paging.js';

export interface PostgresWorkload {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly namespace: string;
  readonly name: string;
  /** The selector's labels: what its pods carry. */
  readonly labels: Readonly<Record<string, string>>;
  readonly image: string | undefined;
}

export interface ClusterSurvey {
  readonly context: string;
  readonly server: string;
  /** Deployments first: postgres-remount takes a Deployment. */
  readonly postgres: readonly PostgresWorkload[];
  /** Namespaces holding a runbook-lock Lease already (a team that set RUNBOOK_LOCK_NAMESPACE before). */
  readonly lockNamespaces: readonly string[];
}

const SAYS_POSTGRES = /postgres/i;

function postgresOf(
  kind: PostgresWorkload['kind'],
  w: V1Deployment | V1StatefulSet,
): PostgresWorkload | undefined {
  const images = (w.spec?.template.spec?.containers ?? []).map((c) => c.image ?? '');
  const name = w.metadata?.name ?? '';
  const image = images.find((i) => SAYS_POSTGRES.test(i));
  if (!SAYS_POSTGRES.test(name) && image === undefined) return undefined;
  return {
    kind,
    namespace: w.metadata?.namespace ?? 'default',
    name,
    labels: { ...(w.spec?.selector.matchLabels ?? {}) },
    image: image ?? images[0],
  };
}

async function lockNamespaces(kube: KubeClients): Promise<string[]> {
  try {
    const api = kube.config.makeApiClient(kube.lib.CoordinationV1Api);
    const leases = await listAllPages((cont) =>
      api.listLeaseForAllNamespaces({ limit: PAGE_SIZE, _continue: cont }),
    );
    return leases
      .filter((l) => l.metadata?.name === LOCK_NAME)
      .map((l) => l.metadata?.namespace ?? 'default');
  } catch {
    // Leases are a hint only: a kubeconfig that may not list them still gets its file.
    return [];
  }
}

export async function surveyCluster(kube: KubeClients): Promise<ClusterSurvey> {
  const page = { limit: PAGE_SIZE };
  const deployments = await listAllPages((cont) =>
    kube.apps.listDeploymentForAllNamespaces({ ...page, _continue: cont }),
  );
  const statefulSets = await listAllPages((cont) =>
    kube.apps.listStatefulSetForAllNamespaces({ ...page, _continue: cont }),
  );
  const postgres = [
    ...deployments.map((d) => postgresOf('Deployment', d)),
    ...statefulSets.map((s) => postgresOf('StatefulSet', s)),
  ].filter((w): w is PostgresWorkload => w !== undefined);
  return {
    context: kube.identity.context,
    server: kube.identity.server,
    postgres,
    lockNamespaces: await lockNamespaces(kube),
  };
}
