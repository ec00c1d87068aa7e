// `runbook manifests serve`: the ServiceAccount, read-only RBAC, Deployment and Service that run
// `runbook serve` in the cluster, ready for `kubectl apply -f -`. The RBAC is derived as
// `runbook rbac --read-only` derives it, for every built-in runbook a route may name and every team
// runbook a route names; the lock's Lease where runs take the lock, as `runbook rbac` puts it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUNBOOKS } from '../../../runbooks/index.js';
import { effectiveSettings, loadTeamConfig } from '../../config/index.js';
import { invalidParameter, usageError } from '../../engine/errors.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { kindsOf, permissionsOfAll } from '../../engine/permissions/derive.js';
import { type ServeManifestOptions, serveHeader, serveObjects } from '../../manifests/serve-objects.js';
import { manifestsJson, manifestsYaml } from '../../manifests/serve-render.js';
import { printable } from '../errors.js';
import type { Io } from '../io.js';
import { parseOutput } from '../output.js';
import { packageRoot } from '../package-root.js';
import { configRoutes, routesFile, routesInForce } from '../alerts/routes.js';
import { teamRunbooks } from '../team/registry.js';
import { parseListen } from './serve.js';
import { k8sNameProblem } from './rbac-names.js';

export interface ManifestsServeOptions {
  readonly namespace?: string;
  readonly image?: string;
  readonly name?: string;
  readonly roleNamespace?: readonly string[];
  readonly output?: string;
}

/**
 * serve's dry-run bound (120 s, src/serve/server.ts) and its drain after SIGTERM (30 s for the dry
 * runs, 5 s for the chat): the pod is given longer than the bound before it is killed.
 */
const DRY_RUN_BOUND_SECONDS = 120;
const TERMINATION_GRACE_SECONDS = DRY_RUN_BOUND_SECONDS + 30;

function ownVersion(): string {
  const json = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return typeof json.version === 'string' ? json.version : '0.0.0';
}

/** The built-in runbooks whose permissions are declared: any of them may answer an alert. */
export const servedRunbooks = (): typeof RUNBOOKS => RUNBOOKS.filter((r) => kindsOf(r) !== undefined);

/**
 * The team's runbooks a route names (serve dry-runs those). One routed without kinds is refused rather
 * than left out with a comment: the comment is lost in `| kubectl apply -f -`, and serve would then
 * meet 403s in the middle of an incident instead of the operator meeting this sentence now.
 */
async function routedTeamRunbooks(io: Io): Promise<AnyRunbook[]> {
  const file = io.env.RUNBOOK_ALERTS_FILE;
  const routes = routesInForce([
    file === undefined || file === '' ? undefined : routesFile(file),
    await configRoutes(io),
  ]);
  const routed = teamRunbooks()
    .map((t) => t.runbook)
    .filter((r) => routes.some((route) => route.runbook === r.id));
  for (const runbook of routed)
    if (kindsOf(runbook) === undefined)
      throw usageError(
        `The team's runbook "${runbook.id}" is routed (${routes.find((r) => r.runbook === runbook.id)?.source ?? 'alerts'}) but declares no kinds, so serve's read-only permissions for it cannot be derived: add \`kinds: { actions: [...], waits: [...], applies: [...], reads: { kube: [...], linode: [...] } }\` to its defineRunbook({...}) (as \`runbook rbac ${runbook.id}\` asks), or remove its route.`,
      );
  return routed;
}

export async function manifestsServeCommand(options: ManifestsServeOptions, io: Io): Promise<number> {
  const format = parseOutput(options.output ?? 'yaml', ['yaml', 'json']);
  const namespace = options.namespace ?? 'default';
  const name = options.name ?? 'runbook-serve';
  const roleNamespaces =
    options.roleNamespace === undefined || options.roleNamespace.length === 0
      ? [namespace]
      : options.roleNamespace;
  for (const [flag, value] of [
    ['--namespace', namespace],
    ['--name', name],
    ...roleNamespaces.map((ns) => ['--role-namespace', ns] as const),
  ] as const) {
    const problem = k8sNameProblem(value);
    if (problem !== undefined) throw usageError(`${flag} ${JSON.stringify(printable(value))}: ${problem}`);
  }
  const version = ownVersion();
  const image = options.image ?? `runbook:${version}`;
  if (!/^[a-z0-9][\w./:@-]*$/i.test(image) || image.length > 512)
    throw invalidParameter(
      `--image ${JSON.stringify(printable(image))} is not an image reference, e.g. registry.example.com/runbook:${version}.`,
    );
  const manifest: ServeManifestOptions = {
    name,
    namespace,
    image,
    version,
    port: parseListen(undefined).port,
    permissions: permissionsOfAll([...servedRunbooks(), ...(await routedTeamRunbooks(io))], 'read-only'),
    roleNamespaces,
    // Where runs take the lock (RUNBOOK_LOCK_NAMESPACE or the team's file), as `runbook rbac` puts it.
    lockNamespace: effectiveSettings(io.env, await loadTeamConfig(io)).lockNamespace.value,
    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
  };
  const objects = serveObjects(manifest);
  io.stdout.write(
    format === 'json'
      ? manifestsJson(objects)
      : manifestsYaml(serveHeader(manifest, options.image === undefined), objects),
  );
  return 0;
}
