// The storage changes a runbook makes through the Kubernetes API, each defined once: creating a
// PersistentVolumeClaim, creating a PersistentVolume (e.g. a static one over an existing Linode
// volume) and deleting one. Rehearsed by a server-side dry run, as every Kubernetes change.
import type { V1PersistentVolume, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { type ActionDefinitions, quote } from './define.js';
import { SERVER_DRY_RUN } from './kubernetes.js';
import { kube } from '../permissions/permission.js';

/** The Linode block-storage CSI driver, as LKE installs it. */
export const LINODE_CSI_DRIVER = 'linodebs.csi.linode.com';

/** A claim as a runbook asks for it; `volumeName` binds it to that PersistentVolume only. */
export interface ClaimSpec {
  readonly namespace: string;
  readonly name: string;
  readonly storageClass: string;
  /** A Kubernetes quantity, e.g. `20Gi`. */
  readonly size: string;
  readonly volumeName?: string;
}

/** A PersistentVolume served by a CSI driver over a volume that exists already. */
export interface VolumeSpec {
  readonly name: string;
  readonly storageClass: string;
  readonly size: string;
  readonly driver: string;
  /** For the Linode driver `<volume id>-<label>`, as LKE names them. */
  readonly volumeHandle: string;
  readonly reclaimPolicy: 'Retain' | 'Delete';
  /** The claim it is set aside for (claimRef), so no other claim binds it first. */
  readonly claim?: { readonly namespace: string; readonly name: string };
}

/** kubectl create pvc: a claim, provisioned by its storage class or bound to `volumeName`. */
export interface CreatePvcAction {
  readonly kind: 'k8s.create-pvc';
  readonly claim: ClaimSpec;
}

/** kubectl create pv: a volume Kubernetes did not provision itself (a static PV). */
export interface CreatePvAction {
  readonly kind: 'k8s.create-pv';
  readonly volume: VolumeSpec;
  /** What it stands for, as the operator recognises it, e.g. `Linode volume 123 (pg-data-new)`. */
  readonly source: string;
}

/** kubectl delete pv: this incarnation of the volume; its storage follows its reclaim policy. */
export interface DeletePvAction {
  readonly kind: 'k8s.delete-pv';
  readonly name: string;
  /** Only the volume the plan read is deleted; one made again since with a new uid is left alone. */
  readonly uid: string;
  /** The claim bound to it, `namespace/name`, as the operator checks it; undefined when none. */
  readonly claim: string | undefined;
  readonly reclaimPolicy: string;
}

export type KubernetesStorageAction = CreatePvcAction | CreatePvAction | DeletePvAction;

export const createPvc = (claim: ClaimSpec): CreatePvcAction => ({ kind: 'k8s.create-pvc', claim });

export const createPv = (volume: VolumeSpec, source: string): CreatePvAction => ({
  kind: 'k8s.create-pv',
  volume,
  source,
});

export const deletePv = (
  name: string,
  uid: string,
  claim: string | undefined,
  reclaimPolicy: string,
): DeletePvAction => ({ kind: 'k8s.delete-pv', name, uid, claim, reclaimPolicy });

/** A static PV over an existing Linode volume, named and handled as LKE's CSI driver names them. */
export function linodeStaticPv(
  volume: { readonly id: number; readonly label: string; readonly size: number },
  options: {
    readonly name: string;
    readonly storageClass?: string;
    readonly reclaimPolicy?: 'Retain' | 'Delete';
    readonly claim?: { readonly namespace: string; readonly name: string };
  },
): CreatePvAction {
  return createPv(
    {
      name: options.name,
      storageClass: options.storageClass ?? 'linode-block-storage-retain',
      size: `${volume.size}Gi`,
      driver: LINODE_CSI_DRIVER,
      volumeHandle: `${volume.id}-${volume.label}`,
      reclaimPolicy: options.reclaimPolicy ?? 'Retain',
      ...(options.claim === undefined ? {} : { claim: options.claim }),
    },
    `Linode volume ${volume.id} (${volume.label})`,
  );
}

export function claimManifest(claim: ClaimSpec): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: claim.name, namespace: claim.namespace },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: claim.storageClass,
      resources: { requests: { storage: claim.size } },
      ...(claim.volumeName === undefined ? {} : { volumeName: claim.volumeName }),
    },
  };
}

export function volumeManifest(volume: VolumeSpec): V1PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volume.name, annotations: { 'pv.kubernetes.io/provisioned-by': volume.driver } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: volume.size },
      storageClassName: volume.storageClass,
      persistentVolumeReclaimPolicy: volume.reclaimPolicy,
      csi: { driver: volume.driver, volumeHandle: volume.volumeHandle },
      ...(volume.claim === undefined
        ? {}
        : { claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...volume.claim } }),
    },
  };
}

export const kubernetesStorageActions = {
  'k8s.create-pvc': {
    permissions: kube('create', '', 'persistentvolumeclaims'),
    describe: ({ claim }) => ({
      title: `create PersistentVolumeClaim ${claim.namespace}/${claim.name} (${claim.size}, ${claim.storageClass})`,
      before: 'no claim',
      after:
        claim.volumeName === undefined
          ? `claim of ${claim.size}, provisioned by ${claim.storageClass}`
          : `claim of ${claim.size}, bound to PersistentVolume ${claim.volumeName}`,
      destructive: false,
      confirmName: undefined,
      equivalent: `kubectl -n ${claim.namespace} create -f pvc-${claim.name}.yaml  (storageClassName: ${claim.storageClass}, storage: ${claim.size}${claim.volumeName === undefined ? '' : `, volumeName: ${claim.volumeName}`})`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.createPersistentVolumeClaim(claimManifest(a.claim), options),
  },
  'k8s.create-pv': {
    permissions: kube('create', '', 'persistentvolumes', 'cluster'),
    describe: ({ volume, source }) => ({
      title: `create PersistentVolume ${volume.name} over ${source}`,
      before: 'no PersistentVolume',
      after: `PersistentVolume of ${volume.size} (${volume.storageClass}, ${volume.reclaimPolicy}), ${volume.driver} handle ${volume.volumeHandle}${volume.claim === undefined ? '' : `, set aside for claim ${volume.claim.namespace}/${volume.claim.name}`}`,
      destructive: false,
      confirmName: undefined,
      equivalent: `kubectl create -f pv-${quote(volume.name)}.yaml  (csi.driver: ${volume.driver}, csi.volumeHandle: ${volume.volumeHandle})`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.createPersistentVolume(volumeManifest(a.volume), options),
  },
  'k8s.delete-pv': {
    permissions: kube('delete', '', 'persistentvolumes', 'cluster'),
    describe: (a) => ({
      title: `delete PersistentVolume ${a.name}`,
      before: a.claim === undefined ? 'volume bound to no claim' : `volume bound to claim ${a.claim}`,
      after: `no PersistentVolume (held while a claim is bound to it); its storage follows reclaim policy ${a.reclaimPolicy}`,
      destructive: true,
      confirmName: a.name,
      equivalent: `kubectl delete pv/${quote(a.name)}`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.deletePersistentVolume(a.name, a.uid, options),
  },
} satisfies ActionDefinitions<KubernetesStorageAction>;
