// Before a run changes anything: is each permission it needs granted? Asked of the API server with
// one SelfSubjectAccessReview per permission, and of Linode's token scopes; the first missing one is
// named as the rule a person adds to the Role (or the scope to the token).
import { RunbookError } from '../errors.js';
import type { KubePermission, LinodePermission, Permission } from './permission.js';

/** Asks the API server "may I?" (POST selfsubjectaccessreviews). */
export interface AccessReviewer {
  allowed(permission: KubePermission, namespace: string): Promise<boolean>;
}

export interface PreflightMissing {
  readonly permission: Permission;
  /** As the operator fixes it: the RBAC rule, or the token scope. */
  readonly rule: string;
}

/** The rule one permission needs, as it reads in a Role or ClusterRole. */
export function ruleText(p: KubePermission, namespace: string): string {
  const where = p.scope === 'cluster' ? 'ClusterRole' : `Role in namespace ${namespace}`;
  return `${where}: apiGroups ["${p.group}"], resources ["${p.resource}"], verbs ["${p.verb}"]`;
}

/**
 * Whether the token's scopes (X-OAuth-Scopes: space-separated `area:access`, or `*`) cover a need;
 * read_write covers read_only.
 */
export function scopeGranted(granted: readonly string[], need: LinodePermission): boolean {
  if (granted.includes('*')) return true;
  return granted.some((s) => {
    const [area, access] = s.split(':');
    return area === need.area && (access === need.access || access === 'read_write');
  });
}

/** Every needed permission that is not granted, in the order needed. */
export async function findMissing(
  permissions: readonly Permission[],
  namespace: string,
  reviewer: AccessReviewer,
  linodeScopes: readonly string[] | undefined,
): Promise<PreflightMissing[]> {
  const missing: PreflightMissing[] = [];
  // One review at a time: a few dozen small POSTs, not a burst against a struggling API server.
  for (const p of permissions) {
    if (p.provider === 'kubernetes') {
      if (!(await reviewer.allowed(p, namespace)))
        missing.push({ permission: p, rule: ruleText(p, namespace) });
    } else if (linodeScopes !== undefined && !scopeGranted(linodeScopes, p)) {
      missing.push({ permission: p, rule: `Linode token scope ${p.area}:${p.access}` });
    }
  }
  return missing;
}

/** Throws access-refused naming every missing rule, before any change; nothing when all are granted. */
export async function preflight(
  permissions: readonly Permission[],
  namespace: string,
  reviewer: AccessReviewer,
  linodeScopes?: readonly string[],
): Promise<void> {
  const missing = await findMissing(permissions, namespace, reviewer, linodeScopes);
  if (missing.length === 0) return;
  const [first] = missing;
  throw new RunbookError(
    'access-refused',
    `The credentials lack ${missing.length === 1 ? 'a permission' : `${missing.length} permissions`} this runbook needs; nothing was changed. Missing: ${first?.rule ?? ''}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}.`,
    {
      next: `Add: ${missing.map((m) => m.rule).join('; ')}. \`runbook rbac <runbook>\` prints the whole Role.`,
    },
  );
}
