// `runbook rbac <runbook…>`: the ServiceAccount, Role/ClusterRole and bindings that cover exactly
// what those runbooks read and change, derived from the kinds each can plan, and the Linode token
// scopes they need; `--read-only` for a dry run only (what `runbook serve` needs).
import { usageError } from '../../engine/errors.js';
import { type Access, kindsOf, permissionsOfAll } from '../../engine/permissions/derive.js';
import { rbacYaml } from '../../engine/permissions/rbac-yaml.js';
import { k8sNameProblem } from './rbac-names.js';
import { type Io } from '../io.js';
import { effectiveSettings, loadTeamConfig } from '../../config/index.js';
import { findAnyRunbook } from '../team/registry.js';
import { noSuchRunbook } from './show.js';

export interface RbacOptions {
  readonly readOnly?: boolean;
  readonly namespace?: string;
  readonly serviceAccount?: string;
  readonly name?: string;
}

export async function rbacCommand(ids: readonly string[], options: RbacOptions, io: Io): Promise<number> {
  const runbooks = ids.map((id) => {
    const runbook = findAnyRunbook(id);
    if (runbook === undefined) throw noSuchRunbook(id);
    if (kindsOf(runbook) === undefined)
      throw usageError(
        `Runbook "${id}" declares no kinds, so its permissions cannot be derived: add \`kinds: { actions: [...], waits: [...], applies: [...], reads: { kube: [...], linode: [...] } }\` to its defineRunbook({...}), naming the Action and Wait kinds its steps can plan, the manifest kinds it applies and the Reader methods it calls.`,
        '`runbook rbac node-drain` shows what a built-in runbook is granted from its kinds.',
      );
    return runbook;
  });
  const access: Access = options.readOnly === true ? 'read-only' : 'full';
  const namespace = options.namespace ?? 'default';
  const serviceAccount = options.serviceAccount ?? 'runbook';
  const name =
    options.name ??
    (access === 'read-only' ? 'runbook-read-only' : ids.length === 1 ? `runbook-${ids[0]}` : 'runbook');
  for (const [flag, value] of [
    ['--namespace', namespace],
    ['--service-account', serviceAccount],
    ['--name', name],
  ] as const) {
    const problem = k8sNameProblem(value);
    if (problem !== undefined) throw usageError(`${flag} ${JSON.stringify(value)}: ${problem}`);
  }
  const title = `${access === 'read-only' ? 'Read-only (dry runs) for' : 'Runs of'} ${ids.join(', ')}: derived from the kinds each can plan (runbook rbac).`;
  // The lock's Lease where runs will take it: RUNBOOK_LOCK_NAMESPACE or the team's file, else default.
  const lockNamespace = effectiveSettings(io.env, await loadTeamConfig(io)).lockNamespace.value;
  io.stdout.write(
    rbacYaml(permissionsOfAll(runbooks, access), { namespace, serviceAccount, name, lockNamespace }, title),
  );
  return 0;
}
