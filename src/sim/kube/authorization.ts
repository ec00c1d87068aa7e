// Who may do what: a deny-rule policy (set at run time through /_sim/policy) and, with `rbac: true`,
// the world's Roles and bindings for the token's user, that the simulated API server enforces with
// the real 403 Forbidden, and that SelfSubjectAccessReviews report.
import type { ApiError } from './errors.js';
import { failure } from './errors.js';
import { type RbacObjects, rbacAllows } from './rbac.js';

/** A request as the authorizer sees it (the apiserver's RequestInfo). */
export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

/** Refuses requests matching every field given; `*` (or leaving a field out) matches anything. */
export interface DenyRule {
  verb: string;
  /** `pods`, `pods/eviction`, `pods/*` (any subresource) or `*`. */
  resource: string;
  group?: string;
  namespace?: string;
  name?: string;
  /** Appended to the 403 message and reported as the review's reason. */
  reason?: string;
}

export interface AccessPolicy {
  /** The user the bearer token stands for; default `sim-user`. */
  user: string;
  deny: DenyRule[];
  /** Also require an RBAC grant (Role/ClusterRole bound to `user`), as a real cluster does. */
  rbac?: boolean;
}

/** A refusal by RBAC has no deny rule: nothing granted it (the real server gives no reason). */
export type Decision = { allowed: true } | { allowed: false; rule: DenyRule };

export interface AccessControl {
  policy(): AccessPolicy;
  setPolicy(policy: AccessPolicy): void;
  decide(attributes: ResourceAttributes): Decision;
  /** Throws the API server's 403 when the policy refuses the request. */
  authorize(attributes: ResourceAttributes): void;
}

export const DEFAULT_USER = 'sim-user';

/** Everything allowed: the policy a world starts with. */
export function openPolicy(): AccessPolicy {
  return { user: DEFAULT_USER, deny: [] };
}

const matches = (pattern: string | undefined, value: string): boolean =>
  pattern === undefined || pattern === '*' || pattern === value;

function resourceMatches(pattern: string, attributes: ResourceAttributes): boolean {
  if (pattern === '*') return true;
  const [resource, sub] = pattern.split('/');
  if (resource !== attributes.resource) return false;
  if (sub === undefined) return attributes.subresource === '';
  return sub === '*' || sub === attributes.subresource;
}

/** The apiserver's forbiddenMessage (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go). */
export function forbiddenMessage(user: string, a: ResourceAttributes): string {
  const resource = a.subresource === '' ? a.resource : `${a.resource}/${a.subresource}`;
  const scope = a.namespace === '' ? 'at the cluster scope' : `in the namespace "${a.namespace}"`;
  return `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
}

/** apierrors.NewForbidden as the authorization filter builds it. */
export function forbidden(user: string, a: ResourceAttributes, reason?: string): ApiError {
  const qualified = a.group === '' ? a.resource : `${a.resource}.${a.group}`;
  const subject = a.name === '' ? `${qualified} is forbidden` : `${qualified} "${a.name}" is forbidden`;
  const why = forbiddenMessage(user, a) + (reason === undefined || reason === '' ? '' : `: ${reason}`);
  return failure(403, 'Forbidden', `${subject}: ${why}`, {
    ...(a.name === '' ? {} : { name: a.name }),
    ...(a.group === '' ? {} : { group: a.group }),
    kind: a.resource,
  });
}

export function createAccessControl(initial?: AccessPolicy, rbacObjects?: () => RbacObjects): AccessControl {
  let current: AccessPolicy = initial ?? openPolicy();
  const decide = (a: ResourceAttributes): Decision => {
    const denied = denyDecision(a);
    if (!denied.allowed || current.rbac !== true) return denied;
    const objects = rbacObjects?.() ?? {
      roles: [],
      clusterRoles: [],
      roleBindings: [],
      clusterRoleBindings: [],
    };
    return rbacAllows(objects, current.user, a)
      ? { allowed: true }
      : { allowed: false, rule: { verb: a.verb, resource: a.resource } };
  };
  const denyDecision = (a: ResourceAttributes): Decision => {
    const rule = current.deny.find(
      (r) =>
        matches(r.verb, a.verb) &&
        resourceMatches(r.resource, a) &&
        matches(r.group, a.group) &&
        matches(r.namespace, a.namespace) &&
        matches(r.name, a.name),
    );
    return rule === undefined ? { allowed: true } : { allowed: false, rule };
  };
  return {
    policy: () => structuredClone(current),
    setPolicy(policy) {
      current = structuredClone(policy);
    },
    decide,
    authorize(a) {
      const decision = decide(a);
      if (!decision.allowed) throw forbidden(current.user, a, decision.rule.reason);
    },
  };
}

const RULE_FIELDS = ['verb', 'resource', 'group', 'namespace', 'name', 'reason'] as const;

/** Validates a policy body (POST /_sim/policy), naming the first field that is wrong. */
export function parsePolicy(
  body: unknown,
): { ok: true; policy: AccessPolicy } | { ok: false; error: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, error: 'the policy must be an object {user?, deny: [...]}' };
  const { user, deny, rbac, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) return { ok: false, error: `unknown policy field "${unknown}"` };
  if (user !== undefined && (typeof user !== 'string' || user === ''))
    return { ok: false, error: 'user must be a non-empty string' };
  if (rbac !== undefined && typeof rbac !== 'boolean')
    return { ok: false, error: 'rbac must be true or false' };
  if (!Array.isArray(deny)) return { ok: false, error: 'deny must be a list of rules' };
  const rules: DenyRule[] = [];
  for (const [i, raw] of deny.entries()) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      return { ok: false, error: `deny[${i}] must be an object` };
    const rule = raw as Record<string, unknown>;
    for (const key of Object.keys(rule))
      if (!(RULE_FIELDS as readonly string[]).includes(key))
        return { ok: false, error: `deny[${i}]: unknown field "${key}"` };
    for (const key of RULE_FIELDS) {
      const value = rule[key];
      const required = key === 'verb' || key === 'resource';
      if (value === undefined && !required) continue;
      if (typeof value !== 'string' || (value === '' && key !== 'group' && key !== 'namespace'))
        return { ok: false, error: `deny[${i}].${key} must be a${required ? ' non-empty' : ''} string` };
    }
    rules.push(rule as unknown as DenyRule);
  }
  return {
    ok: true,
    policy: {
      user: typeof user === 'string' ? user : DEFAULT_USER,
      deny: rules,
      ...(rbac === true ? { rbac: true } : {}),
    },
  };
}

const registered = new WeakMap<object, AccessControl>();

/** Links a simulator's Kubernetes world to its access control, for the control API. */
export function registerAccessControl(world: object, access: AccessControl): void {
  registered.set(world, access);
}

/** The access control of a simulator's Kubernetes world (undefined for a world that has none). */
export function accessControlOf(world: object): AccessControl | undefined {
  return registered.get(world);
}
