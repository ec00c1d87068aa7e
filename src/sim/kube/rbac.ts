// RBAC as the apiserver's authorizer evaluates it: the Roles and ClusterRoles bound to the token's
// user (a User subject, or a ServiceAccount as system:serviceaccount:<ns>:<name>), read from the
// world's own rbac.authorization.k8s.io objects, so a test grants a runbook exactly its Role.
import type { ResourceAttributes } from './authorization.js';

interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

interface RbacObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  subjects?: Array<{ kind: string; name: string; namespace?: string }>;
}

/** The world's Roles, ClusterRoles and their bindings, as stored (the API validated their shape). */
export interface RbacObjects {
  readonly roles: readonly object[];
  readonly clusterRoles: readonly object[];
  readonly roleBindings: readonly object[];
  readonly clusterRoleBindings: readonly object[];
}

const has = (list: readonly string[] | undefined, value: string): boolean =>
  list !== undefined && (list.includes('*') || list.includes(value));

function resourceAllowed(resources: readonly string[] | undefined, a: ResourceAttributes): boolean {
  if (resources === undefined) return false;
  const combined = a.subresource === '' ? a.resource : `${a.resource}/${a.subresource}`;
  return resources.some(
    (r) =>
      r === '*' ||
      r === combined ||
      (a.subresource !== '' && r === `*/${a.subresource}`) ||
      (a.subresource === '' && r === a.resource),
  );
}

/** rbac/v1 RuleAllows for a resource request. */
export function ruleAllows(rule: Rule, a: ResourceAttributes): boolean {
  const nameOk =
    rule.resourceNames === undefined ||
    rule.resourceNames.length === 0 ||
    rule.resourceNames.includes(a.name);
  return (
    has(rule.verbs, a.verb) && has(rule.apiGroups, a.group) && resourceAllowed(rule.resources, a) && nameOk
  );
}

function boundTo(binding: RbacObject, user: string): boolean {
  return (binding.subjects ?? []).some((s) =>
    s.kind === 'ServiceAccount'
      ? `system:serviceaccount:${s.namespace ?? binding.metadata.namespace ?? ''}:${s.name}` === user
      : s.kind === 'User'
        ? s.name === user
        : s.kind === 'Group' && s.name === 'system:authenticated',
  );
}

/** Whether a binding the user holds grants the request. */
export function rbacAllows(stored: RbacObjects, user: string, a: ResourceAttributes): boolean {
  const objects = stored as { readonly [K in keyof RbacObjects]: readonly RbacObject[] };
  const rulesOf = (ref: RbacObject['roleRef'], namespace: string | undefined): readonly Rule[] => {
    if (ref === undefined) return [];
    const role =
      ref.kind === 'ClusterRole'
        ? objects.clusterRoles.find((r) => r.metadata.name === ref.name)
        : objects.roles.find((r) => r.metadata.name === ref.name && r.metadata.namespace === namespace);
    return role?.rules ?? [];
  };
  for (const binding of objects.clusterRoleBindings)
    if (boundTo(binding, user) && rulesOf(binding.roleRef, undefined).some((r) => ruleAllows(r, a)))
      return true;
  if (a.namespace === '') return false;
  for (const binding of objects.roleBindings)
    if (
      binding.metadata.namespace === a.namespace &&
      boundTo(binding, user) &&
      rulesOf(binding.roleRef, binding.metadata.namespace).some((r) => ruleAllows(r, a))
    )
      return true;
  return false;
}
