// The external-provisioner's side of reclaim policy Delete: a Released PV it provisioned has its
// Linode volume deleted (refused while attached: Warning VolumeFailedDelete, retried), then goes.
import type { KubeObject } from '../../world.js';
import { CSI_DRIVER, volumeIdOfHandle } from './csi-names.js';
import { PROVISIONER_SOURCE } from './provisioner.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef } from './runtime.js';

/** csi-provisioner's --retry-interval-start and --retry-interval-max. */
const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 300_000;

interface PvSpec {
  persistentVolumeReclaimPolicy?: string;
  csi?: { driver?: string; volumeHandle?: string };
}

/** Whether the external-provisioner owns this PV's deletion now: Released, Delete, provisioned by it. */
function awaitsDeletion(pv: KubeObject): boolean {
  const spec = (pv.spec ?? {}) as PvSpec;
  return (
    pv.metadata.deletionTimestamp === undefined &&
    (pv.status as { phase?: string } | undefined)?.phase === 'Released' &&
    spec.persistentVolumeReclaimPolicy === 'Delete' &&
    pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by'] === CSI_DRIVER &&
    spec.csi?.driver === CSI_DRIVER
  );
}

export function createPvReclaimer(ctx: ControllerContext): Controller {
  const { api, linode } = ctx;
  /** Failed deletes per PV, for the backoff. */
  const attempts = new Map<string, number>();

  const fail = (pv: KubeObject, message: string): void => {
    const name = pv.metadata.name;
    const n = (attempts.get(name) ?? 0) + 1;
    attempts.set(name, n);
    ctx.events.record(pv, 'Warning', 'VolumeFailedDelete', message, PROVISIONER_SOURCE);
    // Back off to the cap; past it, only a detach (a Linode change) or a VolumeAttachment going retries.
    const delay = RETRY_BASE_MS * 2 ** (n - 1);
    if (delay < RETRY_CAP_MS) queue.addAfter(name, delay);
  };

  /** csi-provisioner's Delete, then the driver's DeleteVolume (404 is success), then the PV object. */
  const reconcile = (name: string): void => {
    const pv = api.store.get(defs.pv, undefined, name);
    if (pv === undefined || !awaitsDeletion(pv)) {
      attempts.delete(name);
      return;
    }
    const attachment = api.store
      .list(defs.volumeAttachment)
      .find(
        (va) =>
          (va.spec as { source?: { persistentVolumeName?: string } } | undefined)?.source
            ?.persistentVolumeName === name,
      );
    if (attachment !== undefined) {
      const node = (attachment.spec as { nodeName?: string }).nodeName ?? '';
      return fail(pv, `persistentvolume ${name} is still attached to node ${node}`);
    }
    const handle = ((pv.spec ?? {}) as PvSpec).csi?.volumeHandle;
    const volumeId = volumeIdOfHandle(handle);
    if (volumeId === undefined)
      return fail(pv, `rpc error: code = InvalidArgument desc = invalid volume id ${handle ?? ''}`);
    if (linode.volume(volumeId) !== undefined) {
      const result = linode.deleteVolume(volumeId);
      // The driver passes Linode's refusal on as linodego words it: "[400] <reason>".
      if (!result.ok && result.status !== 404) {
        const reason = result.field === undefined ? result.reason : `[${result.field}] ${result.reason}`;
        return fail(pv, `rpc error: code = Internal desc = [${result.status}] ${reason}`);
      }
    }
    attempts.delete(name);
    api.delete(defs.pv, undefined, name, {});
  };

  const queue = createWorkQueue(ctx, 'pv-reclaim', reconcile);
  return {
    name: 'pv-reclaim',
    onStoreEvent(event) {
      if (isDef(event, defs.pv) && event.type !== 'DELETED') queue.add(event.object.metadata.name);
      else if (isDef(event, defs.volumeAttachment) && event.type === 'DELETED') {
        const pv = (event.object.spec as { source?: { persistentVolumeName?: string } } | undefined)?.source
          ?.persistentVolumeName;
        if (pv !== undefined) queue.add(pv);
      }
    },
    onLinodeChange() {
      // A refused delete is retried at once when its volume is detached (or gone) at Linode.
      for (const name of attempts.keys()) {
        const handle = (api.store.get(defs.pv, undefined, name)?.spec as PvSpec | undefined)?.csi
          ?.volumeHandle;
        const volumeId = volumeIdOfHandle(handle);
        const volume = volumeId === undefined ? undefined : linode.volume(volumeId);
        if (volume?.linode_id !== undefined && volume.linode_id !== null) continue;
        queue.add(name);
      }
    },
  };
}
