// The one place that changes the world: an exhaustive switch from Action to writer call.
import type { Action, EvictAction } from './actions.js';
import { RunbookError } from './errors.js';
import type { MutationOptions, Writers } from './ports.js';

export async function executeAction(
  action: Action,
  writers: Writers,
  options: MutationOptions = {},
): Promise<void> {
  switch (action.kind) {
    case 'k8s.lease':
      return writers.kube.lease(action, options);
    case 'k8s.scale':
      // Only from the count the plan read: a change since is a ConflictError, and the step is re-planned.
      return writers.kube.scale(action.target, action.to, { ...options, expect: action.from });
    case 'k8s.delete-deployment':
      return writers.kube.deleteDeployment(action.namespace, action.name, options);
    case 'k8s.force-delete-pod':
      return writers.kube.forceDeletePod(action.namespace, action.name, action.uid, options);
    case 'k8s.apply':
      return writers.kube.apply(action.manifest, options);
    case 'linode.volume.detach':
      return writers.linode.detachVolume(action.volumeId);
    case 'linode.volume.attach':
      return writers.linode.attachVolume(action.volumeId, action.linodeId);
    case 'postgres.terminate': {
      // With dryRun, Postgres is asked which it would let this role terminate; nothing is signalled.
      const result = await postgres(writers).terminate(action.backends, options);
      if (result.refused.length > 0) {
        throw new RunbookError(
          'step-failed',
          `Postgres ${options.dryRun === true ? 'would refuse' : 'refused'} to terminate ${result.refused.length} of ${action.backends.length} backends (pids ${result.refused.join(', ')}).`,
          { next: 'Connect as a superuser or a role with pg_signal_backend, then run the runbook again.' },
        );
      }
      return;
    }
    case 'postgres.backup':
      // With dryRun, only what a dump needs is checked (directory, pg_dump, server); nothing is written.
      await postgres(writers).backup(action.request, options);
      return;
    case 'k8s.rollout-restart':
      return writers.kube.rolloutRestart(action.target, action.restartedAt, options);
    case 'k8s.set-resources':
      return writers.kube.setResources(action.target, action.container, action.after, options);
    case 'k8s.cordon':
      return writers.kube.cordon(action.node, true, options);
    case 'k8s.uncordon':
      return writers.kube.cordon(action.node, false, options);
    case 'k8s.evict':
      return evict(action, writers, options);
    case 'linode.lke.recycle-node':
      return writers.linode.recycleLkeNode(action.clusterId, action.nodeId);
    case 'linode.reboot':
      return writers.linode.rebootLinode(action.linodeId);
  }
}

/** Evictions a budget still refused when their time ran out stop the step, naming the budget. */
async function evict(action: EvictAction, writers: Writers, options: MutationOptions): Promise<void> {
  const limits = { concurrency: action.concurrency, timeoutMs: action.timeoutMs };
  const blocked = await writers.kube.evictPods(action.pods, limits, options);
  if (blocked.length === 0) return;
  throw new RunbookError(
    'step-failed',
    `${blocked.length} of ${action.pods.length} pods on ${action.node} could not be evicted within ${Math.round(action.timeoutMs / 1000)}s: ${blocked.map((b) => `${b.pod.namespace}/${b.pod.name} (${b.reason})`).join('; ')}.`,
    {
      next: `The node stays cordoned. Give that budget room (scale its workload up, or relax minAvailable), then run the runbook again; or kubectl uncordon ${action.node} to give up.`,
    },
  );
}

function postgres(writers: Writers): NonNullable<Writers['postgres']> {
  if (writers.postgres !== undefined) return writers.postgres;
  throw new RunbookError('database-unreachable', 'This run has no connection to Postgres to act on.', {
    next: 'Give one with --database-url or DATABASE_URL, or let runbook port-forward to the Postgres pod.',
  });
}
