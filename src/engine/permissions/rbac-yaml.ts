// Permissions as the objects `kubectl apply` takes: a Role and RoleBinding in the namespace for
// what is asked there, a ClusterRole and ClusterRoleBinding for cluster-scoped resources and lists
// across namespaces, bound to one ServiceAccount; the Linode token scopes as a comment above them.
import {
  type KubePermission,
  type LinodePermission,
  type Permission,
  isLockPermission,
} from './permission.js';

export interface RbacSubject {
  /** Where the Role, its binding and the ServiceAccount live. */
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The name of the Role and ClusterRole, e.g. `runbook-node-drain`. */
  readonly name: string;
  /**
   * Where the cluster lock's Lease lives (settings.lockNamespace); when not `namespace`, the Lease
   * rules go to a Role of their own there (`<name>-lock`), bound to the same ServiceAccount.
   */
  readonly lockNamespace?: string;
}

export interface RbacRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** One rule per (group, resource), its verbs in kubectl's order. */
export function rulesOf(permissions: readonly KubePermission[]): RbacRule[] {
  const verbs = new Map<string, Set<string>>();
  for (const p of permissions) {
    const key = `${p.group}\u0000${p.resource}`;
    verbs.set(key, (verbs.get(key) ?? new Set()).add(p.verb));
  }
  return [...verbs.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, set]) => {
      const [group = '', resource = ''] = key.split('\u0000');
      return {
        apiGroups: [group],
        resources: [resource],
        verbs: [...set].sort((a, b) => VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b)),
      };
    });
}

/** Linode token scopes, `area:read_write` winning over `area:read_only`. */
export function linodeScopesOf(permissions: readonly Permission[]): string[] {
  const access = new Map<string, LinodePermission['access']>();
  for (const p of permissions)
    if (p.provider === 'linode' && access.get(p.area) !== 'read_write') access.set(p.area, p.access);
  return [...access.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([area, a]) => `${area}:${a}`);
}

export interface RbacObjects {
  readonly role: { readonly namespace: string; readonly rules: RbacRule[] };
  /** The Lease rules, when the lock lives in another namespace than the Role. */
  readonly lockRole?: { readonly namespace: string; readonly rules: RbacRule[] };
  readonly clusterRole: { readonly rules: RbacRule[] };
}

export function rbacObjects(
  permissions: readonly Permission[],
  namespace: string,
  lockNamespace: string = namespace,
): RbacObjects {
  const kube = permissions.filter((p): p is KubePermission => p.provider === 'kubernetes');
  const inNamespace = kube.filter((p) => p.scope === 'namespace');
  const apart = lockNamespace !== namespace;
  return {
    role: { namespace, rules: rulesOf(inNamespace.filter((p) => !apart || !isLockPermission(p))) },
    ...(apart
      ? { lockRole: { namespace: lockNamespace, rules: rulesOf(inNamespace.filter(isLockPermission)) } }
      : {}),
    clusterRole: { rules: rulesOf(kube.filter((p) => p.scope === 'cluster')) },
  };
}

const list = (items: readonly string[]): string => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;

const rulesYaml = (rules: readonly RbacRule[]): string[] =>
  rules.length === 0
    ? ['rules: []']
    : [
        'rules:',
        ...rules.flatMap((r) => [
          `  - apiGroups: ${list(r.apiGroups)}`,
          `    resources: ${list(r.resources)}`,
          `    verbs: ${list(r.verbs)}`,
        ]),
      ];

/** The YAML documents, ready for kubectl apply. */
export function rbacYaml(permissions: readonly Permission[], subject: RbacSubject, title: string): string {
  const { role, lockRole, clusterRole } = rbacObjects(permissions, subject.namespace, subject.lockNamespace);
  const scopes = linodeScopesOf(permissions);
  const sa = [
    'subjects:',
    '  - kind: ServiceAccount',
    `    name: ${subject.serviceAccount}`,
    `    namespace: ${subject.namespace}`,
  ];
  const docs: string[][] = [
    [
      `# ${title}`,
      `# Linode token scopes: ${scopes.length === 0 ? 'none (no Linode call)' : scopes.join(' ')}`,
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      `  name: ${subject.serviceAccount}`,
      `  namespace: ${subject.namespace}`,
    ],
  ];
  const roleDocs = (name: string, namespace: string, rules: readonly RbacRule[]): string[][] => [
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${namespace}`,
      ...rulesYaml(rules),
    ],
    [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: RoleBinding',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${namespace}`,
      'roleRef:',
      '  apiGroup: rbac.authorization.k8s.io',
      '  kind: Role',
      `  name: ${name}`,
      ...sa,
    ],
  ];
  if (role.rules.length > 0) docs.push(...roleDocs(subject.name, subject.namespace, role.rules));
  if (lockRole !== undefined && lockRole.rules.length > 0)
    docs.push(...roleDocs(`${subject.name}-lock`, lockRole.namespace, lockRole.rules));
  if (clusterRole.rules.length > 0)
    docs.push(
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRole',
        'metadata:',
        `  name: ${subject.name}`,
        ...rulesYaml(clusterRole.rules),
      ],
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: ClusterRoleBinding',
        'metadata:',
        `  name: ${subject.name}`,
        'roleRef:',
        '  apiGroup: rbac.authorization.k8s.io',
        '  kind: ClusterRole',
        `  name: ${subject.name}`,
        ...sa,
      ],
    );
  return docs.map((d) => d.join('\n')).join('\n---\n') + '\n';
}
