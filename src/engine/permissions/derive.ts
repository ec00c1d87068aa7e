// A runbook's permissions: the union of what its kinds (runbook-kinds.ts) declare in the vocabulary
// and Reader tables, plus what the engine itself asks for it (the lock, the dry run's twin, the
// port-forward to Postgres). `read-only` is what a dry run through a reader-only target needs.
import type { AnyRunbook } from '../runbook.js';
import { ACTIONS, WAITS } from '../vocabulary/index.js';
import { type Permission, isLockPermission, permissionKey } from './permission.js';
import { APPLY_NEEDS } from './applies.js';
import { PORT_FORWARD_NEEDS, reads } from './readers.js';
import { RUNBOOK_KINDS, type RunbookKinds } from './runbook-kinds.js';

export type Access = 'full' | 'read-only';

/** The kinds a runbook declared (a team's in its own `kinds`); undefined when it declares none. */
export const kindsOf = (runbook: AnyRunbook): RunbookKinds | undefined =>
  runbook.kinds ?? RUNBOOK_KINDS[runbook.id];

const isRead = (p: Permission): boolean =>
  p.provider === 'kubernetes' ? ['get', 'list', 'watch'].includes(p.verb) : p.access === 'read_only';

/** What one run will reach: a run given a database URL does not port-forward to reach Postgres. */
export interface RunShape {
  readonly portForward: boolean;
}

/** What the engine asks on every run of this runbook, whatever its steps plan. */
function engineNeeds(runbook: AnyRunbook, access: Access, run: RunShape): Permission[] {
  // Whether someone else holds the cluster lock is read before a plan; every run that connects the
  // cluster (a Postgres-only one too, for its lock) counts its nodes for the header.
  const needs: Permission[] = [...reads.kube('getLease', 'listNodes')];
  // The dry run's twin copies the cluster and the Linode account; a Postgres-only runbook's has neither.
  if (runbook.needs?.cluster !== 'for-port-forward-and-lock')
    needs.push(...reads.kube('snapshot'), ...reads.linode('snapshot'));
  if (runbook.mutating && access === 'full') needs.push(...ACTIONS['k8s.lease'].permissions);
  if (runbook.needs?.postgres !== undefined && run.portForward) needs.push(...PORT_FORWARD_NEEDS);
  return needs;
}

/**
 * Every permission one runbook needs, each once, in a stable order; for `run`, what that one run needs
 * (default: any run, the port-forward included).
 */
export function permissionsOf(
  runbook: AnyRunbook,
  access: Access = 'full',
  run: RunShape = { portForward: true },
): Permission[] {
  const kinds = kindsOf(runbook);
  if (kinds === undefined)
    throw new Error(`runbook ${runbook.id} declares no kinds (src/engine/permissions/runbook-kinds.ts)`);
  const all: Permission[] = [
    ...engineNeeds(runbook, access, run),
    ...reads.kube(...kinds.reads.kube),
    ...reads.linode(...kinds.reads.linode),
    ...(access === 'full'
      ? [
          ...kinds.actions.flatMap((k) => ACTIONS[k].permissions),
          ...(kinds.applies ?? []).flatMap((k) => APPLY_NEEDS[k]),
          ...kinds.waits.flatMap((k) => WAITS[k].permissions),
        ]
      : []),
  ];
  // A runbook that does not say which namespaces it changes may change any: a Role in one namespace
  // cannot grant that, so all but the lock (which lives in one namespace) go to the ClusterRole.
  const anywhere =
    runbook.needs?.namespaces === undefined
      ? all.map((p) =>
          p.provider === 'kubernetes' && !isLockPermission(p) ? { ...p, scope: 'cluster' as const } : p,
        )
      : all;
  return unique(access === 'full' ? anywhere : anywhere.filter(isRead));
}

/** The union over several runbooks, each permission once. */
export const permissionsOfAll = (runbooks: readonly AnyRunbook[], access: Access = 'full'): Permission[] =>
  unique(runbooks.flatMap((r) => permissionsOf(r, access)));

/** Each permission once; one in the namespace that the same one across the cluster covers is dropped. */
function unique(permissions: readonly Permission[]): Permission[] {
  const byKey = new Map<string, Permission>();
  for (const p of permissions) byKey.set(permissionKey(p), p);
  for (const [key, p] of byKey)
    if (
      p.provider === 'kubernetes' &&
      p.scope === 'namespace' &&
      byKey.has(permissionKey({ ...p, scope: 'cluster' }))
    )
      byKey.delete(key);
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, p]) => p);
}
