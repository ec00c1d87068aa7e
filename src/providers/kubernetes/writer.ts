// The Kubernetes mutations the executor may perform. Nothing else in the project writes to a cluster.
import type { KubeWriter } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { isNotFound, kubeError } from './errors.js';

const FIELD_MANAGER = 'runbook';

export function createKubeWriter(clients: KubeClients): KubeWriter {
  const { lib, apps, core, config, identity } = clients;
  const mergePatch = lib.setHeaderOptions('Content-Type', lib.PatchStrategy.MergePatch);
  const dryRunOf = (dryRun: boolean | undefined): string | undefined => (dryRun === true ? 'All' : undefined);

  return {
    async scale(target, replicas, options = {}) {
      const request = {
        name: target.name,
        namespace: target.namespace,
        body: { spec: { replicas } },
        dryRun: dryRunOf(options.dryRun),
      };
      try {
        if (target.kind === 'Deployment') await apps.patchNamespacedDeploymentScale(request, mergePatch);
        else await apps.patchNamespacedStatefulSetScale(request, mergePatch);
      } catch (error) {
        throw kubeError(error, identity.server, `scale ${target.kind} ${target.namespace}/${target.name}`);
      }
    },
    async deleteDeployment(namespace, name, options = {}) {
      try {
        await apps.deleteNamespacedDeployment({
          namespace,
          name,
          body: { propagationPolicy: 'Background', ...(options.dryRun === true ? { dryRun: ['All'] } : {}) },
        });
      } catch (error) {
        if (isNotFound(error)) return;
        throw kubeError(error, identity.server, `delete deployment ${namespace}/${name}`);
      }
    },
    async forceDeletePod(namespace, name, uid, options = {}) {
      try {
        await core.deleteNamespacedPod({
          namespace,
          name,
          body: {
            gracePeriodSeconds: 0,
            propagationPolicy: 'Background',
            preconditions: { uid },
            ...(options.dryRun === true ? { dryRun: ['All'] } : {}),
          },
        });
      } catch (error) {
        if (isNotFound(error)) return;
        throw kubeError(error, identity.server, `force-delete pod ${namespace}/${name}`);
      }
    },
    async apply(manifest, options = {}) {
      const objects = lib.KubernetesObjectApi.makeApiClient(config);
      const name = `${manifest.kind} ${manifest.metadata.namespace ?? 'default'}/${manifest.metadata.name}`;
      try {
        await objects.patch(
          { ...manifest, metadata: { ...manifest.metadata } },
          undefined,
          dryRunOf(options.dryRun),
          FIELD_MANAGER,
          true,
          lib.PatchStrategy.ServerSideApply,
        );
      } catch (error) {
        throw kubeError(error, identity.server, `apply ${name}`);
      }
    },
  };
}
