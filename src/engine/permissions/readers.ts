// What each Reader method asks of the API: the compiler holds these tables complete (a method without
// its entry does not build), so a wait or a plan that reads through a method inherits its needs.
import type { KubeReader, LinodeReader } from '../ports.js';
import { type KubePermission, type LinodePermission, kube, linode } from './permission.js';

const workloads = (verbs: string): KubePermission[] => [
  ...kube(verbs, 'apps', 'deployments'),
  ...kube(verbs, 'apps', 'daemonsets'),
  ...kube(verbs, 'apps', 'statefulsets'),
];

/**
 * The collections a dry run's twin must read. Left out: Secrets (refused, the twin assumes those the
 * workloads name) and a repository's other kinds (RBAC, Ingresses, Jobs, CRDs: refused, not copied).
 * Events are needed: they are the runbooks' evidence (FailedMount, FailedKillPod).
 */
const snapshotNeeds: KubePermission[] = [
  ...kube('list', '', 'nodes', 'cluster'),
  ...kube('list', '', 'persistentvolumes', 'cluster'),
  ...kube('list', 'storage.k8s.io', 'storageclasses', 'cluster'),
  ...kube('list', 'storage.k8s.io', 'volumeattachments', 'cluster'),
  ...kube('list', '', 'namespaces', 'cluster'),
  ...kube('list', '', 'pods'),
  ...kube('list', '', 'persistentvolumeclaims'),
  ...kube('list', '', 'services'),
  ...kube('list', '', 'configmaps'),
  ...kube('list', 'apps', 'replicasets'),
  ...workloads('list'),
  ...kube('list', 'policy', 'poddisruptionbudgets'),
  ...kube('list', '', 'events'),
];

export type KubeReaderMethod = Exclude<keyof KubeReader, 'identity'>;
export type LinodeReaderMethod = keyof LinodeReader;

export const KUBE_READER_NEEDS = {
  getLease: kube('get', 'coordination.k8s.io', 'leases'),
  snapshot: snapshotNeeds,
  getDeployment: kube('get', 'apps', 'deployments'),
  listPods: kube('list', '', 'pods'),
  getPersistentVolumeClaim: kube('get', '', 'persistentvolumeclaims'),
  getPersistentVolume: kube('get', '', 'persistentvolumes', 'cluster'),
  getNode: kube('get', '', 'nodes', 'cluster'),
  listNodes: kube('list', '', 'nodes', 'cluster'),
  listVolumeAttachments: kube('list', 'storage.k8s.io', 'volumeattachments', 'cluster'),
  getWorkload: workloads('get'),
  listWorkloads: workloads('list'),
  listAllPods: kube('list', '', 'pods', 'cluster'),
  listNodePorts: kube('list', '', 'services', 'cluster'),
  listPodsOnNode: kube('list', '', 'pods', 'cluster'),
  listPodDisruptionBudgets: kube('list', 'policy', 'poddisruptionbudgets', 'cluster'),
  listPersistentVolumes: kube('list', '', 'persistentvolumes', 'cluster'),
  listClaimUsers: [...kube('list', 'apps', 'deployments'), ...kube('list', 'apps', 'statefulsets')],
  // A Secret is read by name only to learn that it exists; its data never leaves the provider.
  configExists: [...kube('get', '', 'secrets'), ...kube('get', '', 'configmaps')],
  listEventsFor: kube('list', '', 'events'),
  // Each watched collection is watched, and listed again after a dropped watch.
  watchChanges: [],
} satisfies Record<KubeReaderMethod, readonly KubePermission[]>;

export const LINODE_READER_NEEDS = {
  // GET /profile: every token may read its own profile.
  identity: [],
  getVolume: linode('volumes', 'read_only'),
  findVolumes: linode('volumes', 'read_only'),
  getInstance: linode('linodes', 'read_only'),
  snapshot: [
    ...linode('linodes', 'read_only'),
    ...linode('volumes', 'read_only'),
    ...linode('events', 'read_only'),
    ...linode('lke', 'read_only'),
  ],
  recentEvents: linode('events', 'read_only'),
  listNodeBalancers: linode('nodebalancers', 'read_only'),
  listVolumes: linode('volumes', 'read_only'),
  findLkeNode: linode('lke', 'read_only'),
} satisfies Record<LinodeReaderMethod, readonly LinodePermission[]>;

/** The needs of the Reader methods a wait or a plan calls: `reads.kube('getNode', 'listPods')`. */
export const reads = {
  kube: (...methods: KubeReaderMethod[]): KubePermission[] => methods.flatMap((m) => KUBE_READER_NEEDS[m]),
  linode: (...methods: LinodeReaderMethod[]): LinodePermission[] =>
    methods.flatMap((m) => LINODE_READER_NEEDS[m]),
};

/**
 * A port-forward to a Postgres pod (src/providers/postgres/port-forward.ts): it finds a Ready pod of
 * the deployment, reads it again before each connection, and opens pods/portforward (`create` since
 * kube-apiserver 1.35 authorizes the WebSocket upgrade so, `get` before).
 */
export const PORT_FORWARD_NEEDS: readonly KubePermission[] = [
  ...reads.kube('getDeployment', 'listPods'),
  ...kube('get', '', 'pods'),
  ...kube('create,get', '', 'pods/portforward'),
];
