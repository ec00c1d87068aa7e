// The Linode CSI external-provisioner and PV binder: a claim of a Linode storage class gets a
// Linode volume (new, or named by annotation) and a bound `pvc-<hex>` PersistentVolume.
import type { KubeObject } from '../../world.js';
import {
  CSI_DRIVER,
  LINODE_STORAGE_CLASSES,
  VOLUME_LABEL_ANNOTATION,
  pvNameFor,
  sizeGiB,
  volumeHandle,
  volumeLabelFor,
} from './csi-names.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

export const PROVISIONER_SOURCE = {
  component: `${CSI_DRIVER}_csi-linode-controller-0_5f1b9c4e-0d4e-4b7a-9a53-2d1c7f0e8a11`,
};
const PV_CONTROLLER = { component: 'persistentvolume-controller' };

interface ClaimSpec {
  storageClassName?: string | null;
  volumeName?: string;
  accessModes?: string[];
  resources?: { requests?: { storage?: string } };
}

export function createProvisioner(ctx: ControllerContext): Controller {
  const { api, linode } = ctx;
  const announced = new Set<string>();

  const isLinodeClass = (className: string | null | undefined): { reclaim: string } | undefined => {
    if (className === undefined || className === null || className === '') return undefined;
    const sc = api.store.get(defs.storageClass, undefined, className);
    if (sc !== undefined) {
      if (sc.provisioner !== CSI_DRIVER) return undefined;
      return { reclaim: typeof sc.reclaimPolicy === 'string' ? sc.reclaimPolicy : 'Delete' };
    }
    if (!LINODE_STORAGE_CLASSES.includes(className)) return undefined;
    return { reclaim: className.endsWith('-retain') ? 'Retain' : 'Delete' };
  };

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    if (namespace === undefined) return;
    const pvc = api.store.get(defs.pvc, namespace, name);
    if (pvc === undefined || pvc.metadata.deletionTimestamp !== undefined) return;
    const spec = (pvc.spec ?? {}) as ClaimSpec;
    if (spec.volumeName !== undefined && spec.volumeName !== '') {
      bindExisting(pvc, spec.volumeName);
      return;
    }
    const cls = isLinodeClass(spec.storageClassName);
    if (cls === undefined) return;
    const uid = pvc.metadata.uid ?? '';
    if (!announced.has(uid)) {
      announced.add(uid);
      ctx.events.record(
        pvc,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${CSI_DRIVER}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
        PV_CONTROLLER,
      );
      ctx.events.record(
        pvc,
        'Normal',
        'Provisioning',
        `External provisioner is provisioning volume for claim "${namespace}/${name}"`,
        PROVISIONER_SOURCE,
      );
    }
    const pvName = pvNameFor(namespace, name);
    const wantedLabel = pvc.metadata.annotations?.[VOLUME_LABEL_ANNOTATION];
    let volume = wantedLabel !== undefined ? linode.volumeByLabel(wantedLabel) : undefined;
    if (wantedLabel !== undefined && volume === undefined) {
      ctx.events.record(
        pvc,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${spec.storageClassName ?? ''}": rpc error: code = NotFound desc = volume with label ${wantedLabel} not found`,
        PROVISIONER_SOURCE,
      );
      return;
    }
    if (volume === undefined) {
      const label = volumeLabelFor(pvName, ctx.volumeLabelForm);
      volume =
        linode.volumeByLabel(label) ??
        linode.createVolume({ label, size: sizeGiB(spec.resources?.requests?.storage) });
    }
    if (volume.status !== 'active') return; // the driver polls until the volume is active; Linode changes requeue us
    const existingPv = api.store.get(defs.pv, undefined, pvName);
    if (existingPv === undefined) {
      api.create(defs.pv, undefined, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: pvName,
          annotations: {
            'pv.kubernetes.io/provisioned-by': CSI_DRIVER,
            'volume.kubernetes.io/provisioner-deletion-secret-name': '',
            'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
          },
        },
        spec: {
          accessModes: spec.accessModes ?? ['ReadWriteOnce'],
          capacity: { storage: `${volume.size}Gi` },
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            name,
            namespace,
            uid: pvc.metadata.uid,
            resourceVersion: pvc.metadata.resourceVersion,
          },
          csi: {
            driver: CSI_DRIVER,
            fsType: 'ext4',
            volumeHandle: volumeHandle(volume.id, volume.label),
            volumeAttributes: {
              'storage.kubernetes.io/csiProvisionerIdentity': `1607692800000-8081-${CSI_DRIVER}`,
            },
          },
          persistentVolumeReclaimPolicy: cls.reclaim,
          storageClassName: spec.storageClassName,
          volumeMode: 'Filesystem',
        },
      });
      ctx.events.record(
        pvc,
        'Normal',
        'ProvisioningSucceeded',
        `Successfully provisioned volume ${pvName}`,
        PROVISIONER_SOURCE,
      );
    }
    bindExisting(pvc, pvName);
  };

  /** The PV binder: claim and volume point at each other, both Bound. */
  const bindExisting = (pvc: KubeObject, pvName: string): void => {
    const pv = api.store.get(defs.pv, undefined, pvName);
    if (pv === undefined) return;
    const pvSpec = (pv.spec ?? {}) as {
      capacity?: unknown;
      accessModes?: string[];
      claimRef?: { uid?: string };
    };
    if (pvSpec.claimRef?.uid !== undefined && pvSpec.claimRef.uid !== pvc.metadata.uid) return;
    api.mutate(
      defs.pvc,
      pvc.metadata.namespace,
      pvc.metadata.name,
      (claim) => {
        claim.metadata.annotations = {
          ...claim.metadata.annotations,
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
          'volume.beta.kubernetes.io/storage-provisioner': CSI_DRIVER,
          'volume.kubernetes.io/storage-provisioner': CSI_DRIVER,
        };
        (claim.spec as ClaimSpec).volumeName = pvName;
        claim.status = {
          phase: 'Bound',
          accessModes: pvSpec.accessModes ?? ['ReadWriteOnce'],
          capacity: pvSpec.capacity,
        };
      },
      { subresource: 'all' },
    );
    api.mutate(
      defs.pv,
      undefined,
      pvName,
      (volume) => {
        const spec = volume.spec as { claimRef?: Record<string, unknown> };
        spec.claimRef ??= {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: pvc.metadata.name,
          namespace: pvc.metadata.namespace,
          uid: pvc.metadata.uid,
        };
        volume.status = { phase: 'Bound' };
      },
      { subresource: 'all' },
    );
  };

  /** PVC/PV protection and release: finalizers go once nothing uses the object; a released PV says so. */
  const reconcileProtection = (): void => {
    const pods = api.store.view(defs.pod);
    for (const pvc of api.store.list(defs.pvc)) {
      if (pvc.metadata.deletionTimestamp === undefined) continue;
      const used = pods.some(
        (p) =>
          p.metadata.namespace === pvc.metadata.namespace &&
          (
            (p.spec as { volumes?: Array<{ persistentVolumeClaim?: { claimName?: string } }> }).volumes ?? []
          ).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name) &&
          !['Succeeded', 'Failed'].includes((p.status as { phase?: string } | undefined)?.phase ?? ''),
      );
      if (!used)
        api.mutate(defs.pvc, pvc.metadata.namespace, pvc.metadata.name, (o) => {
          o.metadata.finalizers = (o.metadata.finalizers ?? []).filter(
            (f) => f !== 'kubernetes.io/pvc-protection',
          );
          if (o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
        });
    }
    for (const pv of api.store.list(defs.pv)) {
      const claimRef = (pv.spec as { claimRef?: { namespace?: string; name?: string; uid?: string } })
        .claimRef;
      const claim =
        claimRef?.name === undefined ? undefined : api.store.get(defs.pvc, claimRef.namespace, claimRef.name);
      const phase = (pv.status as { phase?: string } | undefined)?.phase;
      if (
        claimRef !== undefined &&
        phase === 'Bound' &&
        (claim === undefined || claim.metadata.uid !== claimRef.uid)
      )
        api.mutate(defs.pv, undefined, pv.metadata.name, (o) => (o.status = { phase: 'Released' }), {
          subresource: 'status',
        });
      if (pv.metadata.deletionTimestamp !== undefined && phase !== 'Bound')
        api.mutate(defs.pv, undefined, pv.metadata.name, (o) => {
          o.metadata.finalizers = (o.metadata.finalizers ?? []).filter(
            (f) => f !== 'kubernetes.io/pv-protection',
          );
          if (o.metadata.finalizers.length === 0) delete o.metadata.finalizers;
        });
    }
  };

  const queue = createWorkQueue(ctx, 'provisioner', (key) =>
    key === 'protection' ? reconcileProtection() : reconcile(key),
  );
  return {
    name: 'provisioner',
    onStoreEvent(event) {
      if (isDef(event, defs.pvc)) {
        if (event.type !== 'DELETED') queue.add(keyOf(event.object));
        queue.add('protection');
      } else if (isDef(event, defs.pv)) queue.add('protection');
      else if (isDef(event, defs.pod) && event.type === 'DELETED') queue.add('protection');
    },
    onLinodeChange() {
      for (const pvc of api.store.list(defs.pvc))
        if ((pvc.status as { phase?: string } | undefined)?.phase === 'Pending') queue.add(keyOf(pvc));
    },
  };
}
