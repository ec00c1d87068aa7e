// The one place that changes the world: an exhaustive switch from Action to writer call.
import type { Action } from './actions.js';
import type { MutationOptions, Writers } from './ports.js';

export async function executeAction(
  action: Action,
  writers: Writers,
  options: MutationOptions = {},
): Promise<void> {
  switch (action.kind) {
    case 'k8s.scale':
      return writers.kube.scale(action.target, action.to, options);
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
  }
}
