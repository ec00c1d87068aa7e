// The table of resources the simulated API server serves: one row per kind, read by discovery,
// routing, the store and defaulting, so adding a kind is adding a row.

export interface ResourceDef {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  /** Plural resource name, as in URLs. */
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources served (and listed in discovery). */
  subresources: Subresource[];
  /** metadata.generation is maintained (bumped on spec changes). */
  generation?: boolean;
  /** The main endpoint ignores status changes; /status ignores the rest. */
  statusSubresource?: boolean;
  /** DELETE returns the object (200) instead of a Status. */
  returnDeletedObject?: boolean;
  /** Extra field-selector labels besides metadata.name and metadata.namespace. */
  fieldLabels?: string[];
  /** PUT without metadata.resourceVersion is allowed (unconditional update). */
  allowUnconditionalUpdate?: boolean;
  verbs?: string[];
  /** Not stored: POST answers at once (reviews); no other verb is served. */
  review?: boolean;
}

export type Subresource = 'status' | 'scale' | 'eviction' | 'binding';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const POD_FIELDS = [
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.nominatedNodeName',
];
const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.uid',
  'involvedObject.apiVersion',
  'involvedObject.resourceVersion',
  'involvedObject.fieldPath',
  'reason',
  'reportingComponent',
  'source',
  'type',
];

export const RESOURCES: readonly ResourceDef[] = [
  {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status'],
    statusSubresource: true,
    fieldLabels: ['status.phase'],
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
    statusSubresource: true,
    fieldLabels: ['spec.unschedulable'],
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'eviction', 'binding'],
    statusSubresource: true,
    returnDeletedObject: true,
    fieldLabels: POD_FIELDS,
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    subresources: [],
    fieldLabels: EVENT_FIELDS,
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
    statusSubresource: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    subresources: [],
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
    subresources: [],
    fieldLabels: ['type'],
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    subresources: ['status'],
    statusSubresource: true,
    returnDeletedObject: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    singular: 'persistentvolume',
    kind: 'PersistentVolume',
    namespaced: false,
    shortNames: ['pv'],
    subresources: ['status'],
    statusSubresource: true,
    returnDeletedObject: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
    statusSubresource: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
    statusSubresource: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
    statusSubresource: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
    statusSubresource: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    singular: 'storageclass',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
    subresources: [],
    allowUnconditionalUpdate: true,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'volumeattachments',
    singular: 'volumeattachment',
    kind: 'VolumeAttachment',
    namespaced: false,
    subresources: ['status'],
    statusSubresource: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    singular: 'lease',
    kind: 'Lease',
    namespaced: true,
    subresources: [],
    allowUnconditionalUpdate: true,
  },
  {
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    subresources: ['status'],
    generation: true,
    statusSubresource: true,
    allowUnconditionalUpdate: true,
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    plural: 'selfsubjectaccessreviews',
    singular: 'selfsubjectaccessreview',
    kind: 'SelfSubjectAccessReview',
    namespaced: false,
    subresources: [],
    verbs: ['create'],
    review: true,
  },
];

export const DEFAULT_VERBS = VERBS;

export function apiVersionOf(def: ResourceDef): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}

/** `deployments.apps`, or `pods` for the core group: how API messages name a resource. */
export function qualifiedName(def: ResourceDef): string {
  return def.group === '' ? def.plural : `${def.plural}.${def.group}`;
}

export function findByPath(group: string, version: string, plural: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

export function mustFindByKind(apiVersion: string, kind: string): ResourceDef {
  const def = findByKind(apiVersion, kind);
  if (def === undefined) throw new Error(`simulator serves no ${apiVersion} ${kind}`);
  return def;
}

/** Groups in the order discovery lists them, each with its one version. */
export function groups(): Array<{ group: string; version: string }> {
  const seen = new Map<string, string>();
  for (const r of RESOURCES) if (r.group !== '' && !seen.has(r.group)) seen.set(r.group, r.version);
  return [...seen].map(([group, version]) => ({ group, version }));
}
