// The preflight of a run that changes something: before anything is read or changed, asks the API
// server (SelfSubjectAccessReviews) and Linode (the token's scopes) whether every permission derived
// for the runbook is granted, in the namespaces this run changes and the lock's.
import { existsSync } from 'node:fs';
import { kindsOf, permissionsOf } from '../engine/permissions/derive.js';
import { type PreflightMissing, findMissing } from '../engine/permissions/preflight.js';
import { namespacesOf } from '../engine/needs.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { connectKube, createAccessReviewer, resolveKubeconfigPaths } from '../providers/kubernetes/index.js';
import { readTokenScopes } from '../providers/linode/token-scopes.js';

export interface RunPreflightOptions {
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly lockNamespace: string;
  /** --database-url: with it (or DATABASE_URL), the run reaches Postgres without a port-forward. */
  readonly databaseUrl: string | undefined;
}

/**
 * What this run is not granted; undefined when it cannot be asked here: a runbook that declares no
 * kinds (a team's), or no kubeconfig (connecting says so, in its own words).
 */
export async function missingPermissions(
  runbook: AnyRunbook,
  params: unknown,
  options: RunPreflightOptions,
): Promise<readonly PreflightMissing[] | undefined> {
  if (kindsOf(runbook) === undefined) return undefined;
  if (!resolveKubeconfigPaths(options).some((path) => existsSync(path))) return undefined;
  // As connectPostgres chooses: a URL given, no port-forward to ask for (a restore into a pod still asks).
  const urlGiven = options.databaseUrl !== undefined || (options.env.DATABASE_URL ?? '') !== '';
  const permissions = permissionsOf(runbook, 'full', { portForward: !urlGiven });
  const where = { namespaces: namespacesOf(runbook, params), lockNamespace: options.lockNamespace };
  const reviewer = createAccessReviewer(await connectKube(options));
  // The cluster first: a cluster that cannot be asked stops the run before Linode is called at all.
  const kube = await findMissing(
    permissions.filter((p) => p.provider === 'kubernetes'),
    where,
    reviewer,
    undefined,
  );
  const linode = permissions.filter((p) => p.provider === 'linode');
  if (linode.length === 0) return kube;
  return [...kube, ...(await findMissing(linode, where, reviewer, await readTokenScopes(options.env)))];
}
