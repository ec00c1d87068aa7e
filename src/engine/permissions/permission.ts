// One thing a runbook must be allowed to do, as RBAC and Linode's token scopes spell it. Every kind of
// Action and Wait and every Reader method declares these, so a runbook's Role is derived, never typed.

/** A Kubernetes API request a runbook makes, as an RBAC rule grants it. */
export interface KubePermission {
  readonly provider: 'kubernetes';
  /** get, list, watch, create, update, patch, delete. */
  readonly verb: string;
  /** '' for the core group. */
  readonly group: string;
  /** `pods`, or `pods/eviction` for a subresource. */
  readonly resource: string;
  /**
   * `namespace`: in the runbook's namespace (a Role there will do); `cluster`: a cluster-scoped
   * resource or a list across every namespace (only a ClusterRole grants it).
   */
  readonly scope: 'namespace' | 'cluster';
}

/** A Linode personal access token scope (https://techdocs.akamai.com/linode-api/reference/get-started#oauth-reference). */
export interface LinodePermission {
  readonly provider: 'linode';
  /** e.g. `volumes`, `linodes`, `lke`, `nodebalancers`, `events`, `account`. */
  readonly area: string;
  readonly access: 'read_only' | 'read_write';
}

export type Permission = KubePermission | LinodePermission;

export const kube = (
  verbs: string,
  group: string,
  resource: string,
  scope: KubePermission['scope'] = 'namespace',
): KubePermission[] =>
  verbs.split(',').map((verb) => ({ provider: 'kubernetes', verb: verb.trim(), group, resource, scope }));

export const linode = (area: string, access: LinodePermission['access']): LinodePermission[] => [
  { provider: 'linode', area, access },
];

/** The key that makes two equal permissions one. */
export const permissionKey = (p: Permission): string =>
  p.provider === 'kubernetes'
    ? `k8s ${p.scope} ${p.group}/${p.resource} ${p.verb}`
    : `linode ${p.area}:${p.access}`;

/** The cluster lock's Lease: asked in the lock's namespace, wherever the runbook's changes are. */
export const isLockPermission = (p: KubePermission): boolean =>
  p.group === 'coordination.k8s.io' && p.resource === 'leases';
