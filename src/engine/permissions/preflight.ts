// Before a run changes anything: is each permission it needs granted? Asked of the API server with
// one SelfSubjectAccessReview per permission and namespace, and of Linode's token scopes; the first
// missing one is named as the rule a person adds to the Role (or the scope to the token).
import { RunbookError } from '../errors.js';
import {
  type KubePermission,
  type LinodePermission,
  type Permission,
  isLockPermission,
} from './permission.js';

/** Asks the API server "may I?" (POST selfsubjectaccessreviews); no namespace: in every namespace. */
export interface AccessReviewer {
  allowed(permission: KubePermission, namespace: string | undefined): Promise<boolean>;
}

/** Where the run's permissions are asked. */
export interface PreflightWhere {
  /** The namespaces the run changes (the runbook's needs for these parameters), or every one. */
  readonly namespaces: readonly string[] | 'all';
  /** Where the cluster lock's Lease lives (settings.lockNamespace). */
  readonly lockNamespace: string;
}

export interface PreflightMissing {
  readonly permission: Permission;
  /** Where it was asked; undefined for the cluster scope (or every namespace). */
  readonly namespace: string | undefined;
  /** As the operator fixes it: the RBAC rule, or the token scope. */
  readonly rule: string;
}

/** The rule one permission needs, as it reads in a Role (in `namespace`) or a ClusterRole. */
export function ruleText(p: KubePermission, namespace: string | undefined): string {
  const where = namespace === undefined ? 'ClusterRole' : `Role in namespace ${namespace}`;
  return `${where}: apiGroups ["${p.group}"], resources ["${p.resource}"], verbs ["${p.verb}"]`;
}

/** The token's scopes as X-OAuth-Scopes sends them: `*`, or `area:access` separated by spaces (or commas). */
export const parseScopes = (header: string): string[] => header.split(/[\s,]+/).filter((s) => s !== '');

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

/** The namespaces one permission is asked in; [undefined] for the cluster scope. */
function namespacesFor(p: KubePermission, where: PreflightWhere): ReadonlyArray<string | undefined> {
  if (isLockPermission(p)) return [where.lockNamespace];
  if (p.scope === 'cluster' || where.namespaces === 'all') return [undefined];
  return where.namespaces;
}

/** Every needed permission that is not granted, in the order needed; scopes undefined: not checked. */
export async function findMissing(
  permissions: readonly Permission[],
  where: PreflightWhere,
  reviewer: AccessReviewer,
  linodeScopes: readonly string[] | undefined,
): Promise<PreflightMissing[]> {
  const missing: PreflightMissing[] = [];
  // One review at a time: a few dozen small POSTs, not a burst against a struggling API server.
  for (const p of permissions) {
    if (p.provider === 'kubernetes') {
      for (const namespace of namespacesFor(p, where))
        if (!(await reviewer.allowed(p, namespace)))
          missing.push({ permission: p, namespace, rule: ruleText(p, namespace) });
    } else if (linodeScopes !== undefined && !scopeGranted(linodeScopes, p)) {
      missing.push({ permission: p, namespace: undefined, rule: `Linode token scope ${p.area}:${p.access}` });
    }
  }
  return missing;
}

/** What a missing permission keeps the run from doing, in words. */
function whatItStops(m: PreflightMissing): string {
  const p = m.permission;
  if (p.provider === 'linode') return `its Linode token lacks the scope ${p.area}:${p.access}`;
  const where =
    m.namespace === undefined
      ? p.scope === 'cluster'
        ? 'at the cluster scope'
        : 'in every namespace'
      : `in namespace ${m.namespace}`;
  return `it may not ${p.verb} ${p.group === '' ? p.resource : `${p.resource}.${p.group}`} ${where} (${m.rule})`;
}

/** How to get every missing permission: the generated Role, and the token's scopes. */
export function howToGrant(
  runbookId: string,
  missing: readonly PreflightMissing[],
  namespace?: string,
): string {
  const flag = namespace === undefined || namespace === 'default' ? '' : ` --namespace ${namespace}`;
  const others =
    missing.length > 1
      ? ` Missing as well: ${missing
          .slice(1)
          .map((m) => m.rule)
          .join('; ')}.`
      : '';
  return `\`runbook rbac ${runbookId}${flag}\` prints the Role, ClusterRole and bindings that grant everything it needs, and the Linode token scopes.${others}`;
}

/** Why the run would be refused: the first missing rule in words, and how many more. */
export function refusalReason(missing: readonly PreflightMissing[]): string {
  const [first] = missing;
  const more = missing.length - 1;
  const count = more === 0 ? '' : ` (and ${more} more permission${more === 1 ? '' : 's'})`;
  return `${first === undefined ? 'a permission is missing' : whatItStops(first)}${count}`;
}

/** The refusal before any change: one sentence naming the first missing rule, and how to get it. */
export function refusal(
  runbookId: string,
  missing: readonly PreflightMissing[],
  namespace?: string,
): RunbookError {
  return new RunbookError(
    'missing-permission',
    `${runbookId} would be refused: ${refusalReason(missing)}; nothing was changed.`,
    { next: howToGrant(runbookId, missing, namespace) },
  );
}

/** Throws missing-permission naming the first missing rule, before any change; nothing when all are granted. */
export async function preflight(
  runbookId: string,
  permissions: readonly Permission[],
  where: PreflightWhere,
  reviewer: AccessReviewer,
  linodeScopes?: readonly string[],
): Promise<void> {
  const missing = await findMissing(permissions, where, reviewer, linodeScopes);
  if (missing.length > 0)
    throw refusal(runbookId, missing, where.namespaces === 'all' ? undefined : where.namespaces[0]);
}
