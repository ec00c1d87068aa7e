// The attach/detach controller and the Linode CSI external-attacher: a VolumeAttachment exists
// for each (PV, node) a scheduled pod needs; attaching calls Linode (retrying with backoff while the
// volume is attached elsewhere), and deleting detaches it, unless volume-stuck-attached says otherwise.
import type { KubeObject } from '../../world.js';
import { addFinalizer, removeFinalizer } from '../defaults.js';
import { isTerminal, podClaims, podNode } from '../pods.js';
import { ATTACHER_FINALIZER, CSI_DRIVER, attachmentName, volumeIdOfHandle } from './csi-names.js';
import { linodeIdOf } from './nodes.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef } from './runtime.js';

const AD_SOURCE = { component: 'attachdetach-controller' };
const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 120_000;

interface AttachmentSpec {
  attacher: string;
  nodeName: string;
  source: { persistentVolumeName: string };
}

export function createAttacher(ctx: ControllerContext): Controller {
  const { api, linode } = ctx;
  /** Failed attempts per VolumeAttachment, for the backoff. */
  const attempts = new Map<string, number>();
  const retryPending = new Set<string>();
  const detachRequested = new Set<string>();

  /** Which pods (by PV and node) need a volume attached: every scheduled pod not yet gone or finished. */
  const desired = (): Map<string, { pv: string; node: string }> => {
    const out = new Map<string, { pv: string; node: string }>();
    for (const pod of api.store.view(defs.pod)) {
      const node = podNode(pod);
      if (node === undefined || isTerminal(pod)) continue;
      for (const claim of podClaims(pod)) {
        const pvc = api.store.get(defs.pvc, pod.metadata.namespace, claim);
        const pvName = (pvc?.spec as { volumeName?: string } | undefined)?.volumeName;
        if (pvName === undefined) continue;
        const pv = api.store.get(defs.pv, undefined, pvName);
        if ((pv?.spec as { csi?: { driver?: string } } | undefined)?.csi?.driver !== CSI_DRIVER) continue;
        out.set(attachmentName(pvName, node), { pv: pvName, node });
      }
    }
    return out;
  };

  const podsUsing = (pvName: string, node: string): KubeObject[] =>
    api.store.list(defs.pod).filter((pod) => {
      if (podNode(pod) !== node) return false;
      return podClaims(pod).some((claim) => {
        const pvc = api.store.get(defs.pvc, pod.metadata.namespace, claim);
        return (pvc?.spec as { volumeName?: string } | undefined)?.volumeName === pvName;
      });
    });

  /** What the external-attacher writes when ControllerUnpublishVolume fails. */
  const recordDetachError = (name: string, reason: string): void => {
    api.mutate(
      defs.volumeAttachment,
      undefined,
      name,
      (o) => {
        o.status = {
          ...(o.status as object),
          detachError: { time: api.now(), message: `rpc error: code = Internal desc = ${reason}` },
        };
      },
      { subresource: 'status' },
    );
  };

  const reconcileDesired = (): void => {
    const want = desired();
    for (const [name, { pv, node }] of want) {
      if (api.store.get(defs.volumeAttachment, undefined, name) !== undefined) continue;
      api.create(defs.volumeAttachment, undefined, {
        apiVersion: 'storage.k8s.io/v1',
        kind: 'VolumeAttachment',
        metadata: { name, finalizers: [ATTACHER_FINALIZER] },
        spec: { attacher: CSI_DRIVER, nodeName: node, source: { persistentVolumeName: pv } },
      });
    }
    for (const va of api.store.list(defs.volumeAttachment)) {
      if ((va.spec as AttachmentSpec | undefined)?.attacher !== CSI_DRIVER) continue;
      if (want.has(va.metadata.name) || va.metadata.deletionTimestamp !== undefined) continue;
      api.delete(defs.volumeAttachment, undefined, va.metadata.name, {});
    }
  };

  const scheduleRetry = (name: string): void => {
    if (retryPending.has(name)) return;
    const n = attempts.get(name) ?? 1;
    const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (n - 1));
    retryPending.add(name);
    queue.addAfter(`retry:${name}`, delay);
  };

  const fail = (va: KubeObject, spec: AttachmentSpec, message: string): void => {
    attempts.set(va.metadata.name, (attempts.get(va.metadata.name) ?? 0) + 1);
    api.mutate(
      defs.volumeAttachment,
      undefined,
      va.metadata.name,
      (o) => {
        o.status = { attached: false, attachError: { time: api.now(), message } };
      },
      { subresource: 'status' },
    );
    for (const pod of podsUsing(spec.source.persistentVolumeName, spec.nodeName))
      ctx.events.record(
        pod,
        'Warning',
        'FailedAttachVolume',
        `AttachVolume.Attach failed for volume "${spec.source.persistentVolumeName}" : ${message}`,
        AD_SOURCE,
      );
    // Retry with backoff until the cap; past it, only a Linode change brings the next attempt.
    const n = attempts.get(va.metadata.name) ?? 1;
    if (RETRY_BASE_MS * 2 ** (n - 1) < RETRY_CAP_MS) scheduleRetry(va.metadata.name);
  };

  const succeed = (va: KubeObject, spec: AttachmentSpec, devicePath: string): void => {
    attempts.delete(va.metadata.name);
    api.mutate(
      defs.volumeAttachment,
      undefined,
      va.metadata.name,
      (o) => {
        o.status = { attached: true, attachmentMetadata: { devicePath } };
      },
      { subresource: 'status' },
    );
    for (const pod of podsUsing(spec.source.persistentVolumeName, spec.nodeName))
      ctx.events.record(
        pod,
        'Normal',
        'SuccessfulAttachVolume',
        `AttachVolume.Attach succeeded for volume "${spec.source.persistentVolumeName}"`,
        AD_SOURCE,
      );
  };

  const stuckDetach = (pv: KubeObject | undefined): boolean => {
    const claim = (pv?.spec as { claimRef?: { namespace?: string; name?: string } } | undefined)?.claimRef;
    return ctx.faults
      .list()
      .some(
        (f) =>
          f.kind === 'volume-stuck-attached' && f.namespace === claim?.namespace && f.pvc === claim?.name,
      );
  };

  const reconcileAttachment = (name: string, retry: boolean): void => {
    const va = api.store.get(defs.volumeAttachment, undefined, name);
    if (va === undefined) {
      attempts.delete(name);
      detachRequested.delete(name);
      return;
    }
    const spec = va.spec as AttachmentSpec;
    if (spec.attacher !== CSI_DRIVER) return;
    if (
      !(va.metadata.finalizers ?? []).includes(ATTACHER_FINALIZER) &&
      va.metadata.deletionTimestamp === undefined
    )
      api.mutate(defs.volumeAttachment, undefined, name, (o) => addFinalizer(o, ATTACHER_FINALIZER));
    const pv = api.store.get(defs.pv, undefined, spec.source.persistentVolumeName);
    const node = api.store.get(defs.node, undefined, spec.nodeName);
    const volumeId = volumeIdOfHandle(
      (pv?.spec as { csi?: { volumeHandle?: string } } | undefined)?.csi?.volumeHandle,
    );
    const linodeId = linodeIdOf(node);
    const volume = volumeId === undefined ? undefined : linode.volume(volumeId);

    if (va.metadata.deletionTimestamp !== undefined) {
      const detached = volume === undefined || volume.linode_id === null || volume.linode_id !== linodeId;
      if (detached) {
        api.mutate(defs.volumeAttachment, undefined, name, (o) => {
          removeFinalizer(o, ATTACHER_FINALIZER);
        });
        return;
      }
      if (stuckDetach(pv)) {
        const status = va.status as { detachError?: unknown } | undefined;
        if (status?.detachError === undefined) recordDetachError(name, 'failed to detach volume');
        return; // a Linode change (someone detaching by hand) brings us back
      }
      if (!detachRequested.has(name) && volumeId !== undefined) {
        detachRequested.add(name);
        const result = linode.detachVolume(volumeId);
        if (!result.ok) {
          detachRequested.delete(name);
          recordDetachError(name, result.reason);
          scheduleRetry(name);
        }
      }
      return; // completes when Linode reports linode_id null
    }

    const status = va.status as { attached?: boolean; attachError?: unknown } | undefined;
    if (status?.attached === true) return;
    if (status?.attachError !== undefined && !retry) return; // the backoff timer retries
    if (pv === undefined || volumeId === undefined)
      return fail(
        va,
        spec,
        `rpc error: code = NotFound desc = persistentvolume ${spec.source.persistentVolumeName} not found`,
      );
    if (linodeId === undefined)
      return fail(
        va,
        spec,
        `rpc error: code = InvalidArgument desc = node ${spec.nodeName} has no Linode provider ID`,
      );
    if (volume === undefined)
      return fail(va, spec, `rpc error: code = NotFound desc = volume ${volumeId} not found`);
    if (volume.linode_id === linodeId) return succeed(va, spec, volume.filesystem_path);
    if (volume.linode_id !== null)
      return fail(
        va,
        spec,
        `rpc error: code = FailedPrecondition desc = volume ${volumeId} is already attached to linode ${volume.linode_id}`,
      );
    const result = linode.attachVolume(volumeId, linodeId);
    if (!result.ok) return fail(va, spec, `rpc error: code = Unavailable desc = ${result.reason}`);
    const after = linode.volume(volumeId);
    if (after?.linode_id === linodeId) succeed(va, spec, after.filesystem_path);
    // Otherwise the attach completes later: a Linode change requeues us.
  };

  const queue = createWorkQueue(ctx, 'attacher', (key) => {
    if (key === 'desired') reconcileDesired();
    else if (key.startsWith('retry:')) {
      retryPending.delete(key.slice(6));
      reconcileAttachment(key.slice(6), true);
    } else reconcileAttachment(key.slice(3), false);
  });

  return {
    name: 'attacher',
    onStoreEvent(event) {
      if (isDef(event, defs.volumeAttachment)) {
        if (event.type === 'DELETED') {
          attempts.delete(event.object.metadata.name);
          detachRequested.delete(event.object.metadata.name);
          queue.add('desired');
        } else queue.add(`va:${event.object.metadata.name}`);
      } else if (isDef(event, defs.pod) || isDef(event, defs.pvc) || isDef(event, defs.pv))
        queue.add('desired');
    },
    onLinodeChange() {
      for (const va of api.store.list(defs.volumeAttachment)) {
        const status = va.status as { attached?: boolean; attachError?: unknown } | undefined;
        if (va.metadata.deletionTimestamp !== undefined) queue.add(`va:${va.metadata.name}`);
        else if (status?.attachError !== undefined) scheduleRetry(va.metadata.name);
        else if (status?.attached !== true) queue.add(`va:${va.metadata.name}`);
      }
    },
    onFaultsChange() {
      for (const va of api.store.list(defs.volumeAttachment))
        if (va.metadata.deletionTimestamp !== undefined) queue.add(`va:${va.metadata.name}`);
    },
  };
}
