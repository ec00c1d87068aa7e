// Read-only Kubernetes access for steps and waits.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { KubeReader, WatchedCollection } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { isNotFound, kubeCall, kubeError, kubeRetryVerdict } from './errors.js';
import { PAGE_SIZE, listAllPages } from './paging.js';
import { readLease } from './lease.js';
import { snapshotRaw } from './raw.js';
import { watchChanges } from './watch.js';
import { listClaimUsers, listPodsOnNode } from './nodes.js';
import { listNodePorts, listWorkloads, readWorkload } from './workloads.js';

export function createKubeReader(clients: KubeClients): KubeReader {
  const { core, apps, storage, identity } = clients;
  const server = identity.server;

  async function orUndefined<T>(doing: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await withRetries(read, kubeRetryVerdict);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw kubeError(error, server, doing);
    }
  }
  const must = <T>(doing: string, read: () => Promise<T>): Promise<T> => kubeCall(server, doing, read);

  return {
    identity: () => identity,
    getLease: (namespace, name) => readLease(clients, namespace, name),
    snapshot: (namespaces) => snapshotRaw(clients, namespaces),
    getDeployment: (namespace, name) =>
      orUndefined(`read deployment ${namespace}/${name}`, () =>
        apps.readNamespacedDeployment({ namespace, name }),
      ),
    listPods: (namespace, labelSelector) =>
      must(`list pods in ${namespace}`, () =>
        listAllPages((cont) =>
          core.listNamespacedPod({ namespace, labelSelector, limit: PAGE_SIZE, _continue: cont }),
        ),
      ),
    getPersistentVolumeClaim: (namespace, name) =>
      orUndefined(`read claim ${namespace}/${name}`, () =>
        core.readNamespacedPersistentVolumeClaim({ namespace, name }),
      ),
    getPersistentVolume: (name) =>
      orUndefined(`read persistent volume ${name}`, () => core.readPersistentVolume({ name })),
    async configExists(kind, namespace, name) {
      const read =
        kind === 'Secret'
          ? () => core.readNamespacedSecret({ namespace, name })
          : () => core.readNamespacedConfigMap({ namespace, name });
      return (await orUndefined(`read ${kind.toLowerCase()} ${namespace}/${name}`, read)) !== undefined;
    },
    getNode: (name) => orUndefined(`read node ${name}`, () => core.readNode({ name })),
    listNodes: () =>
      must('list nodes', () => listAllPages((cont) => core.listNode({ limit: PAGE_SIZE, _continue: cont }))),
    listVolumeAttachments: () =>
      must('list volume attachments', () =>
        listAllPages((cont) => storage.listVolumeAttachment({ limit: PAGE_SIZE, _continue: cont })),
      ),
    getWorkload: (ref) =>
      orUndefined(`read ${ref.kind} ${ref.namespace}/${ref.name}`, () => readWorkload(clients, ref)),
    listWorkloads: (namespace) =>
      must(`list workloads in ${namespace === 'all' ? 'every namespace' : namespace}`, () =>
        listWorkloads(clients, namespace),
      ),
    listAllPods: () =>
      must('list pods in every namespace', () =>
        listAllPages((cont) => core.listPodForAllNamespaces({ limit: PAGE_SIZE, _continue: cont })),
      ),
    listNodePorts: () => must('list services', () => listNodePorts(clients)),
    listPodsOnNode: (node) => listPodsOnNode(clients, node),
    listPodDisruptionBudgets: () =>
      must('list disruption budgets in every namespace', () =>
        listAllPages((cont) =>
          clients.policy.listPodDisruptionBudgetForAllNamespaces({ limit: PAGE_SIZE, _continue: cont }),
        ),
      ),
    listPersistentVolumes: () =>
      must('list persistent volumes', () =>
        listAllPages((cont) => core.listPersistentVolume({ limit: PAGE_SIZE, _continue: cont })),
      ),
    listClaimUsers: (namespace) => listClaimUsers(clients, namespace),
    async listEventsFor(namespace, kind, name) {
      const events = await must(`list events of ${kind} ${namespace}/${name}`, () =>
        listAllPages((cont) =>
          core.listNamespacedEvent({
            namespace,
            fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`,
            limit: PAGE_SIZE,
            _continue: cont,
          }),
        ),
      );
      return events.sort((a, b) => eventTime(a) - eventTime(b));
    },
    watchChanges: (collections: readonly WatchedCollection[], onChange, signal) =>
      watchChanges(clients, collections, onChange, signal),
  };
}

function eventTime(event: CoreV1Event): number {
  const time =
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata.creationTimestamp;
  return time === undefined ? 0 : new Date(time).getTime();
}
