// What a fresh LKE cluster already has before any scenario: the system namespaces, the Linode
// storage classes and the `kubernetes` Service.
import type { KubeObject } from '../world.js';
import { CSI_DRIVER } from './controllers/csi-names.js';

export function seedObjects(): KubeObject[] {
  const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const storageClass = (name: string, reclaimPolicy: string, isDefault: boolean): KubeObject => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      annotations: isDefault
        ? {
            'storageclass.kubernetes.io/is-default-class': 'true',
            'lke.linode.com/caplke-version': 'v1.32.5',
          }
        : { 'lke.linode.com/caplke-version': 'v1.32.5' },
    },
    provisioner: CSI_DRIVER,
    reclaimPolicy,
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
  });
  return [
    ns('default'),
    ns('kube-system'),
    ns('kube-public'),
    ns('kube-node-lease'),
    storageClass('linode-block-storage', 'Delete', false),
    storageClass('linode-block-storage-retain', 'Retain', true),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: {
        clusterIP: '10.128.0.1',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
        type: 'ClusterIP',
      },
    },
  ];
}
