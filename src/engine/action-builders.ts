// Short constructors that keep runbook files declarative: `scale(target, 1, 0)` reads as the intent.
import type {
  ApplyAction,
  DeleteDeploymentAction,
  ForceDeletePodAction,
  KubeManifest,
  PostgresBackupAction,
  PostgresTerminateAction,
  ScaleAction,
  ScaleTarget,
  VolumeAttachAction,
  VolumeDetachAction,
} from './actions.js';
import type { Backend, BackupRequest } from './postgres-ports.js';
import type { RolloutRestartAction, SetResourcesAction } from './actions.js';
import type { CordonAction, EvictAction, EvictTarget, UncordonAction } from './actions.js';
import type { ContainerResources, WorkloadRef } from './workload-ports.js';

export const scale = (target: ScaleTarget, from: number, to: number): ScaleAction => ({
  kind: 'k8s.scale',
  target,
  from,
  to,
});

export const deleteDeployment = (
  namespace: string,
  name: string,
  replicas: number,
): DeleteDeploymentAction => ({
  kind: 'k8s.delete-deployment',
  namespace,
  name,
  replicas,
});

export const forceDeletePod = (
  namespace: string,
  name: string,
  uid: string,
  node: string | undefined,
): ForceDeletePodAction => ({ kind: 'k8s.force-delete-pod', namespace, name, uid, node });

export const apply = (manifest: KubeManifest, source: string): ApplyAction => ({
  kind: 'k8s.apply',
  manifest,
  source,
});

interface VolumeRef {
  readonly id: number;
  readonly label: string;
}

export const detachVolume = (
  volume: VolumeRef,
  linodeId: number,
  linodeLabel: string,
): VolumeDetachAction => ({
  kind: 'linode.volume.detach',
  volumeId: volume.id,
  volumeLabel: volume.label,
  linodeId,
  linodeLabel,
});

export const attachVolume = (
  volume: VolumeRef,
  linodeId: number,
  linodeLabel: string,
): VolumeAttachAction => ({
  kind: 'linode.volume.attach',
  volumeId: volume.id,
  volumeLabel: volume.label,
  linodeId,
  linodeLabel,
});

export const terminateBackends = (
  server: string,
  selection: string,
  confirmName: string,
  backends: readonly Backend[],
): PostgresTerminateAction => ({
  kind: 'postgres.terminate',
  server,
  selection,
  confirmName,
  backends: backends.map(({ pid, backendStart, application, client, state, stateSeconds }) => ({
    pid,
    backendStart,
    application,
    client,
    state,
    stateSeconds,
  })),
});

export const backupDatabases = (server: string, request: BackupRequest): PostgresBackupAction => ({
  kind: 'postgres.backup',
  server,
  request,
});

export const rolloutRestart = (
  target: WorkloadRef,
  restartedAt: string,
  reason: string,
): RolloutRestartAction => ({ kind: 'k8s.rollout-restart', target, restartedAt, reason });

export const setResources = (
  target: WorkloadRef,
  container: string,
  before: ContainerResources,
  after: ContainerResources,
  source: string,
): SetResourcesAction => ({ kind: 'k8s.set-resources', target, container, before, after, source });

export const cordon = (node: string): CordonAction => ({ kind: 'k8s.cordon', node });

export const uncordon = (node: string): UncordonAction => ({ kind: 'k8s.uncordon', node });

export const evict = (
  node: string,
  pods: readonly EvictTarget[],
  limits: { concurrency: number; timeoutMs: number },
): EvictAction => ({ kind: 'k8s.evict', node, pods, ...limits });
