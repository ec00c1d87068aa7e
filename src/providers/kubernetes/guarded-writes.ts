// Writes that must not overwrite someone else's change: each reads the object first, checks that
// what the plan saw still holds, and writes with the resourceVersion it read, so a change in between
// comes back 409 Conflict. Either way the caller gets a ConflictError, and the run re-plans.
import type { ScaleTarget } from '../../engine/vocabulary/index.js';
import { ConflictError } from '../../engine/errors.js';
import type { KubeClients } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { kubeCall, kubeError, kubeRetryVerdict, statusOf } from './errors.js';

const isConflictStatus = (error: unknown): boolean => statusOf(error)?.code === 409;

/** A merge patch of the scale subresource, retried where that is safe. */
export function patchScale(
  { apps, lib }: KubeClients,
  target: ScaleTarget,
  body: object,
  dryRun?: string,
): Promise<unknown> {
  const mergePatch = lib.setHeaderOptions('Content-Type', lib.PatchStrategy.MergePatch);
  const request = { name: target.name, namespace: target.namespace, body, dryRun };
  return withRetries(
    () =>
      target.kind === 'Deployment'
        ? apps.patchNamespacedDeploymentScale(request, mergePatch)
        : apps.patchNamespacedStatefulSetScale(request, mergePatch),
    kubeRetryVerdict,
  );
}

/** kubectl scale --current-replicas=expect --replicas=replicas, as one guarded write. */
export async function scaleIfUnchanged(
  clients: KubeClients,
  target: ScaleTarget,
  replicas: number,
  expect: number,
): Promise<void> {
  const { apps, identity } = clients;
  const { namespace, name } = target;
  const what = `${target.kind.toLowerCase()} ${namespace}/${name}`;
  const scale = await kubeCall(identity.server, `read the scale of ${what}`, () =>
    target.kind === 'Deployment'
      ? apps.readNamespacedDeploymentScale({ name, namespace })
      : apps.readNamespacedStatefulSetScale({ name, namespace }),
  );
  const now = scale.spec?.replicas ?? 0;
  if (now !== expect) {
    throw new ConflictError(
      `${what} has ${now} replicas now, not the ${expect} the plan read: someone changed it since.`,
    );
  }
  try {
    // A retry after a lost answer finds its own write: 409, and the re-plan finds nothing to do.
    await patchScale(clients, target, {
      metadata: { resourceVersion: scale.metadata?.resourceVersion },
      spec: { replicas },
    });
  } catch (error) {
    if (isConflictStatus(error))
      throw new ConflictError(`${what} changed between reading its scale and writing it (409 Conflict).`, {
        cause: error,
      });
    throw kubeError(error, identity.server, `scale ${what}`);
  }
}

/** kubectl cordon / uncordon, refusing to claim a change someone else already made. */
export async function cordonIfUnchanged(
  clients: KubeClients,
  node: string,
  unschedulable: boolean,
): Promise<void> {
  const { core, lib, identity } = clients;
  const verb = unschedulable ? 'cordon' : 'uncordon';
  const current = await kubeCall(identity.server, `read node ${node}`, () => core.readNode({ name: node }));
  if ((current.spec?.unschedulable === true) === unschedulable) {
    throw new ConflictError(
      `Node ${node} is already ${unschedulable ? 'cordoned' : 'schedulable'}: someone else did it since the plan.`,
    );
  }
  const strategic = lib.setHeaderOptions('Content-Type', lib.PatchStrategy.StrategicMergePatch);
  const body = {
    metadata: { resourceVersion: current.metadata?.resourceVersion },
    spec: { unschedulable: unschedulable ? true : null },
  };
  try {
    await withRetries(() => core.patchNode({ name: node, body }, strategic), kubeRetryVerdict);
  } catch (error) {
    if (isConflictStatus(error))
      throw new ConflictError(`Node ${node} changed between reading it and the ${verb} (409 Conflict).`, {
        cause: error,
      });
    throw kubeError(error, identity.server, `${verb} node ${node}`);
  }
}
