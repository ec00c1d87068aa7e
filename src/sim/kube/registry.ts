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
  /** Served because this CustomResourceDefinition (its name) is established. */
  crd?: string;
  /** Not stored: computed from the simulated usage at each GET (metrics.k8s.io, see metrics.ts). */
  metrics?: boolean;
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

/** A v1 kind with the usual verbs; `status` adds a status subresource and generation tracking. */
function plain(
  group: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  extra: { shortNames?: string[]; categories?: string[]; status?: boolean } = {},
): ResourceDef {
  const def: ResourceDef = {
    group,
    version: 'v1',
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    subresources: extra.status === true ? ['status'] : [],
    allowUnconditionalUpdate: true,
  };
  if (extra.shortNames !== undefined) def.shortNames = extra.shortNames;
  if (extra.categories !== undefined) def.categories = extra.categories;
  if (extra.status === true) {
    def.generation = true;
    def.statusSubresource = true;
  }
  return def;
}

/** What metrics-server registers (APIService v1beta1.metrics.k8s.io): read-only, never watched. */
const METRICS_RESOURCES: ResourceDef[] = [
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    plural: 'nodes',
    singular: 'node',
    kind: 'NodeMetrics',
    namespaced: false,
    subresources: [],
    verbs: ['get', 'list'],
    metrics: true,
  },
  {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    plural: 'pods',
    singular: 'pod',
    kind: 'PodMetrics',
    namespaced: true,
    subresources: [],
    verbs: ['get', 'list'],
    metrics: true,
  },
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
  // Kinds a team's repository holds: stored and served; Jobs and CronJobs also have controllers.
  plain('', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  plain('rbac.authorization.k8s.io', 'roles', 'Role', true),
  plain('rbac.authorization.k8s.io', 'rolebindings', 'RoleBinding', true),
  plain('rbac.authorization.k8s.io', 'clusterroles', 'ClusterRole', false),
  plain('rbac.authorization.k8s.io', 'clusterrolebindings', 'ClusterRoleBinding', false),
  plain('networking.k8s.io', 'ingresses', 'Ingress', true, { shortNames: ['ing'], status: true }),
  plain('networking.k8s.io', 'ingressclasses', 'IngressClass', false),
  plain('networking.k8s.io', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  plain('batch', 'jobs', 'Job', true, { categories: ['all'], status: true }),
  plain('batch', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ['all'], status: true }),
  plain('apiextensions.k8s.io', 'customresourcedefinitions', 'CustomResourceDefinition', false, {
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    status: true,
  }),
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
  ...METRICS_RESOURCES,
];

export const DEFAULT_VERBS = VERBS;

export function apiVersionOf(def: ResourceDef): string {
  return def.group === '' ? def.version : `${def.group}/${def.version}`;
}

/** `deployments.apps`, or `pods` for the core group: how API messages name a resource. */
export function qualifiedName(def: ResourceDef): string {
  return def.group === '' ? def.plural : `${def.plural}.${def.group}`;
}

/**
 * Kinds served because a CustomResourceDefinition says so. Process-wide: one simulator runs per
 * process (sim start); simulators sharing a process in tests see each other's CRDs in discovery.
 */
let custom: ResourceDef[] = [];

/** Every kind served now: the built-ins, then those of established CRDs. */
export function served(): readonly ResourceDef[] {
  return custom.length === 0 ? RESOURCES : [...RESOURCES, ...custom];
}

/** Serves (or re-serves, after a change) the kinds a CRD defines, one per served version. */
export function serveCustomResources(crdName: string, defs: ResourceDef[]): void {
  custom = [...custom.filter((d) => d.crd !== crdName), ...defs.map((d) => ({ ...d, crd: crdName }))];
}

export function stopServingCustomResources(crdName: string): void {
  custom = custom.filter((d) => d.crd !== crdName);
}

export function findByPath(group: string, version: string, plural: string): ResourceDef | undefined {
  return served().find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return served().find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

export function mustFindByKind(apiVersion: string, kind: string): ResourceDef {
  const def = findByKind(apiVersion, kind);
  if (def === undefined) throw new Error(`simulator serves no ${apiVersion} ${kind}`);
  return def;
}

/** Groups in the order discovery lists them, each with its versions (the preferred one first). */
export function groups(): Array<{ group: string; versions: string[] }> {
  const seen = new Map<string, string[]>();
  for (const r of served()) {
    if (r.group === '') continue;
    const versions = seen.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    seen.set(r.group, versions);
  }
  return [...seen].map(([group, versions]) => ({ group, versions }));
}
