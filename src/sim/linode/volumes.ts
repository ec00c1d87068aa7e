// Volume attach and detach with the real API's rules: attach answers with linode_id already set,
// detach answers {} at once and completes later; both run a volume_attach/volume_detach event.
import type { LinodeResult } from '../world.js';
import { continueEvent, entity, recordNotification, startEvent } from './events.js';
import { REASON } from './reasons.js';
import type { EventRecord, Store, VolumeRecord } from './store.js';
import { maxVolumes } from './types.js';

export interface AttachInput {
  linodeId: unknown;
  configId?: unknown;
  persistAcrossBoots?: unknown;
}

type Failure = Extract<LinodeResult, { ok: false }>;

function fail(status: number, reason: string, field?: string): Failure {
  return field === undefined ? { ok: false, status, reason } : { ok: false, status, reason, field };
}

/** Statuses in which a Linode cannot take a volume at all. */
const INACTIVE = new Set(['provisioning', 'deleting', 'migrating', 'rebuilding', 'cloning', 'restoring']);

export function attachVolume(store: Store, volumeId: number, input: AttachInput): LinodeResult {
  const volume = store.volumes.get(volumeId);
  if (volume === undefined) return fail(404, REASON.notFound);
  const { linodeId, configId, persistAcrossBoots } = input;
  if (linodeId === undefined || linodeId === null)
    return fail(400, REASON.required('linode_id'), 'linode_id');
  if (typeof linodeId !== 'number' || !Number.isInteger(linodeId)) {
    return fail(400, REASON.mustBeInteger('linode_id'), 'linode_id');
  }
  if (persistAcrossBoots !== undefined && typeof persistAcrossBoots !== 'boolean') {
    return fail(400, REASON.mustBeBoolean('persist_across_boots'), 'persist_across_boots');
  }
  if (
    configId !== undefined &&
    configId !== null &&
    (typeof configId !== 'number' || !Number.isInteger(configId))
  ) {
    return fail(400, REASON.mustBeInteger('config_id'), 'config_id');
  }
  const linode = store.instances.get(linodeId);
  if (linode === undefined) return fail(400, REASON.invalidLinodeId(linodeId));
  if (volume.linodeId !== null) return fail(400, REASON.alreadyAttached(volume.id, volume.linodeId));
  if (linode.region !== volume.region) return fail(400, REASON.regionMismatch, 'linode_id');
  const persist = persistAcrossBoots !== false;
  if (INACTIVE.has(linode.status) || (!persist && linode.status !== 'running')) {
    return fail(400, REASON.linodeNotActive, 'linode_id');
  }
  if (configId !== undefined && configId !== null) {
    if (!persist) return fail(400, REASON.configWithoutPersist, 'config_id');
    if (configId !== linode.configId) return fail(400, REASON.noConfig, 'config_id');
  }
  const attached = [...store.volumes.values()].filter((v) => v.linodeId === linode.id).length;
  const max = maxVolumes(linode.type);
  if (attached >= max) return fail(400, REASON.tooManyVolumes(max), 'linode_id');

  const now = store.clock.nowMs();
  volume.linodeId = linode.id;
  volume.ioReady = false;
  volume.updated = now;
  startEvent(
    store,
    {
      action: 'volume_attach',
      entity: entity('volume', volume.id, volume.label),
      secondaryEntity: entity('linode', linode.id, linode.label),
    },
    {
      durationMs: store.delays.attachMs,
      onFail: () => {
        // A failed attach leaves the volume unattached, as Linode rolls it back.
        if (volume.linodeId === linode.id && volume.detachEventId === undefined) {
          volume.linodeId = null;
          volume.updated = store.clock.nowMs();
        }
      },
      onFinish: () => {
        if (volume.linodeId === linode.id && volume.detachEventId === undefined) {
          volume.ioReady = true;
          volume.updated = store.clock.nowMs();
        }
      },
    },
  );
  store.changed();
  return { ok: true };
}

function detachStalled(store: Store, volume: VolumeRecord): boolean {
  return store.faults
    .list()
    .some((fault) => fault.kind === 'linode-detach-never-completes' && fault.volumeLabel === volume.label);
}

/**
 * Detach: 200 {} at once, linode_id cleared after `delays.detachMs`. A detach already in progress
 * answers 200 {} again (and resumes one a lifted fault had held). A volume with no Linode gets 400:
 * linode.md §6 lists "detach when unattached" among the 400s whose wording is unverified.
 */
export function detachVolume(store: Store, volumeId: number): LinodeResult {
  const volume = store.volumes.get(volumeId);
  if (volume === undefined) return fail(404, REASON.notFound);
  if (volume.detachEventId !== undefined) {
    const running = store.events.get(volume.detachEventId);
    if (running?.resume !== undefined && !detachStalled(store, volume)) running.resume();
    return { ok: true };
  }
  if (volume.linodeId === null) return fail(400, REASON.notAttached(volume.id));
  const linode = store.instances.get(volume.linodeId);
  const event = startEvent(
    store,
    {
      action: 'volume_detach',
      entity: entity('volume', volume.id, volume.label),
      secondaryEntity: entity('linode', volume.linodeId, linode?.label ?? ''),
    },
    detachPlan(store, volume, store.delays.detachMs),
  );
  volume.detachEventId = event.id;
  store.changed();
  return { ok: true };
}

/** The plan of a detach: completes after `durationMs`, unless a fault stalls or fails it. */
function detachPlan(store: Store, volume: VolumeRecord, durationMs: number) {
  return {
    durationMs,
    stalled: () => detachStalled(store, volume),
    onFail: () => {
      volume.detachEventId = undefined;
      volume.updated = store.clock.nowMs();
    },
    onFinish: () => {
      volume.linodeId = null;
      volume.ioReady = false;
      volume.detachEventId = undefined;
      volume.updated = store.clock.nowMs();
    },
  };
}

/**
 * A volume_detach read from a live account while under way (the dry-run twin): it carries on for
 * what is left of it, so the twin sees the volume detach as live will.
 */
export function continueDetach(store: Store, event: EventRecord): void {
  const volume = store.volumes.get(event.entity.id);
  if (volume === undefined || volume.linodeId === null || volume.detachEventId !== undefined) return;
  volume.detachEventId = event.id;
  const left = Math.max(0.1, 1 - event.percentComplete / 100);
  continueEvent(store, event, detachPlan(store, volume, store.delays.detachMs * left));
}

/**
 * DELETE /volumes/{id}: gone at once, with a volume_delete notification. An attached volume (or one
 * still detaching) is refused with 400, as Cloud Manager, Terraform's provider and the CSI driver
 * all detach first; the wording is unverified.
 */
export function deleteVolume(store: Store, volumeId: number): LinodeResult {
  const volume = store.volumes.get(volumeId);
  if (volume === undefined) return fail(404, REASON.notFound);
  if (volume.linodeId !== null) return fail(400, REASON.deleteAttached);
  store.volumes.delete(volume.id);
  recordNotification(store, { action: 'volume_delete', entity: entity('volume', volume.id, volume.label) });
  store.changed();
  return { ok: true };
}

/** A Linode's deletion detaches its volumes at once (spec: "Deleting a Linode auto-detaches"). */
export function detachAllFrom(store: Store, linodeId: number): void {
  for (const volume of store.volumes.values()) {
    if (volume.linodeId !== linodeId) continue;
    volume.linodeId = null;
    volume.ioReady = false;
    volume.updated = store.clock.nowMs();
  }
}
