// The Kubernetes mutations the executor may perform. Nothing else in the project writes to a cluster.
import type { KubeWriter, MutationOptions, WorkloadRef } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { writeLease } from './lease.js';
import { cordon, evictPods } from './nodes.js';
import { execInPod } from './exec.js';
import { cordonIfUnchanged, patchScale, scaleIfUnchanged } from './guarded-writes.js';
import { isNotFound, kubeCall, kubeError, kubeRetryVerdict } from './errors.js';

const FIELD_MANAGER = 'runbook';

export function createKubeWriter(clients: KubeClients): KubeWriter {
  const { lib, apps, core, config, identity } = clients;
  const dryRunOf = (dryRun: boolean | undefined): string | undefined => (dryRun === true ? 'All' : undefined);

  const strategic = lib.setHeaderOptions('Content-Type', lib.PatchStrategy.StrategicMergePatch);
  /** One strategic-merge patch of a workload's pod template; setting the same values twice is harmless. */
  async function patchTemplate(
    target: WorkloadRef,
    template: Record<string, unknown>,
    doing: string,
    options: MutationOptions,
  ): Promise<void> {
    const request = {
      name: target.name,
      namespace: target.namespace,
      body: { spec: { template } },
      dryRun: dryRunOf(options.dryRun),
      fieldManager: FIELD_MANAGER,
    };
    try {
      await withRetries(
        () =>
          target.kind === 'Deployment'
            ? apps.patchNamespacedDeployment(request, strategic)
            : target.kind === 'DaemonSet'
              ? apps.patchNamespacedDaemonSet(request, strategic)
              : apps.patchNamespacedStatefulSet(request, strategic),
        kubeRetryVerdict,
      );
    } catch (error) {
      throw kubeError(error, identity.server, `${doing} ${target.kind} ${target.namespace}/${target.name}`);
    }
  }

  /**
   * One DELETE, retried. `dryRun` in the query, where logs and audits show it, and in the body, where
   * the server reads it. Gone already is done; but a dry run says so, for the preview to tell live
   * from twin.
   */
  async function deleteOrGone(
    call: (dryRun: <B extends object>(body: B) => { dryRun?: string; body: B }) => Promise<unknown>,
    doing: string,
    options: MutationOptions,
  ): Promise<void> {
    const dryRun = <B extends object>(body: B): { dryRun?: string; body: B } =>
      options.dryRun === true ? { dryRun: 'All', body: { ...body, dryRun: ['All'] } } : { body };
    try {
      await withRetries(() => call(dryRun), kubeRetryVerdict);
    } catch (error) {
      if (isNotFound(error) && options.dryRun !== true) return;
      throw kubeError(error, identity.server, doing);
    }
  }

  return {
    rolloutRestart: (target, restartedAt, options = {}) =>
      patchTemplate(
        target,
        { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } },
        'restart',
        options,
      ),
    setResources: (target, container, resources, options = {}) =>
      patchTemplate(
        target,
        { spec: { containers: [{ name: container, resources }] } },
        'set the resources of',
        options,
      ),
    lease: (action, options = {}) => writeLease(clients, action, options.dryRun === true),
    // A dry run of the live cluster follows a plan made on the twin: what the plan read is not there.
    cordon: (node, unschedulable, options = {}) =>
      options.dryRun === true
        ? cordon(clients, node, unschedulable, options)
        : cordonIfUnchanged(clients, node, unschedulable),
    evictPods: (pods, limits, options = {}) => evictPods(clients, pods, limits, options),
    exec: (target, options = {}) => execInPod(clients, target, options),
    async scale(target, replicas, options = {}) {
      if (options.expect !== undefined && options.dryRun !== true)
        return scaleIfUnchanged(clients, target, replicas, options.expect);
      try {
        // Setting replicas to a number is idempotent: a retry after a lost answer does no harm.
        await patchScale(clients, target, { spec: { replicas } }, dryRunOf(options.dryRun));
      } catch (error) {
        throw kubeError(error, identity.server, `scale ${target.kind} ${target.namespace}/${target.name}`);
      }
    },
    deleteDeployment: (namespace, name, options = {}) =>
      deleteOrGone(
        (dryRun) =>
          apps.deleteNamespacedDeployment({
            namespace,
            name,
            ...dryRun({ propagationPolicy: 'Background' }),
          }),
        `delete deployment ${namespace}/${name}`,
        options,
      ),
    forceDeletePod: (namespace, name, uid, options = {}) =>
      deleteOrGone(
        (dryRun) =>
          core.deleteNamespacedPod({
            namespace,
            name,
            ...dryRun({ gracePeriodSeconds: 0, propagationPolicy: 'Background', preconditions: { uid } }),
          }),
        `force-delete pod ${namespace}/${name}`,
        options,
      ),
    deletePod: (namespace, name, uid, gracePeriodSeconds, options = {}) =>
      deleteOrGone(
        (dryRun) =>
          core.deleteNamespacedPod({
            namespace,
            name,
            ...dryRun({
              ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
              propagationPolicy: 'Background',
              preconditions: { uid },
            }),
          }),
        `delete pod ${namespace}/${name}`,
        options,
      ),
    deletePersistentVolumeClaim: (namespace, name, uid, options = {}) =>
      deleteOrGone(
        (dryRun) =>
          core.deleteNamespacedPersistentVolumeClaim({
            namespace,
            name,
            ...dryRun({ preconditions: { uid } }),
          }),
        `delete PersistentVolumeClaim ${namespace}/${name}`,
        options,
      ),
    async createPersistentVolumeClaim(claim, options = {}) {
      const namespace = claim.metadata?.namespace ?? 'default';
      const doing = `create PersistentVolumeClaim ${namespace}/${claim.metadata?.name ?? ''}`;
      await kubeCall(identity.server, doing, () =>
        core.createNamespacedPersistentVolumeClaim({
          namespace,
          body: claim,
          dryRun: dryRunOf(options.dryRun),
          fieldManager: FIELD_MANAGER,
        }),
      );
    },
    async createPersistentVolume(volume, options = {}) {
      const doing = `create PersistentVolume ${volume.metadata?.name ?? ''}`;
      await kubeCall(identity.server, doing, () =>
        core.createPersistentVolume({
          body: volume,
          dryRun: dryRunOf(options.dryRun),
          fieldManager: FIELD_MANAGER,
        }),
      );
    },
    deletePersistentVolume: (name, uid, options = {}) =>
      deleteOrGone(
        (dryRun) => core.deletePersistentVolume({ name, ...dryRun({ preconditions: { uid } }) }),
        `delete PersistentVolume ${name}`,
        options,
      ),
    async apply(manifest, options = {}) {
      const objects = lib.KubernetesObjectApi.makeApiClient(config);
      const name = `${manifest.kind} ${manifest.metadata.namespace ?? 'default'}/${manifest.metadata.name}`;
      try {
        await withRetries(
          () =>
            objects.patch(
              { ...manifest, metadata: { ...manifest.metadata } },
              undefined,
              dryRunOf(options.dryRun),
              FIELD_MANAGER,
              true,
              lib.PatchStrategy.ServerSideApply,
            ),
          kubeRetryVerdict,
        );
      } catch (error) {
        throw kubeError(error, identity.server, `apply ${name}`);
      }
    },
  };
}
