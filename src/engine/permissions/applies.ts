// What a server-side apply of each manifest kind asks (PATCH, and create when the object is absent):
// `k8s.apply` declares no permission of its own, a runbook declares the kinds it can apply
// (runbook-kinds.ts `applies`), so a StatefulSet apply gets its own rule and a Deployment's no more.
import { type KubePermission, kube } from './permission.js';

export const APPLY_NEEDS = {
  Deployment: kube('create,patch', 'apps', 'deployments'),
  StatefulSet: kube('create,patch', 'apps', 'statefulsets'),
  DaemonSet: kube('create,patch', 'apps', 'daemonsets'),
  Service: kube('create,patch', '', 'services'),
  ConfigMap: kube('create,patch', '', 'configmaps'),
  PersistentVolumeClaim: kube('create,patch', '', 'persistentvolumeclaims'),
} satisfies Record<string, readonly KubePermission[]>;

export type AppliedKind = keyof typeof APPLY_NEEDS;

export const appliedKinds = (): AppliedKind[] => Object.keys(APPLY_NEEDS) as AppliedKind[];
