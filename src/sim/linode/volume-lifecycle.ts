// Volume create, clone and resize with the real API's rules (spec 4.189): a new volume answers at
// once with status `creating` and turns `active` when its volume_create/volume_clone event ends; only
// an active volume is cloned (into its own region, with its size) or resized, and only upwards.
import type { LinodeResult } from '../world.js';
import { entity, startEvent } from './events.js';
import { REASON } from './reasons.js';
import type { Store, VolumeRecord } from './store.js';

type Failure = Extract<LinodeResult, { ok: false }>;
export type Created = { ok: true; volume: VolumeRecord } | Failure;

const fail = (status: number, reason: string, field?: string): Failure =>
  field === undefined ? { ok: false, status, reason } : { ok: false, status, reason, field };

const LABEL = /^[a-zA-Z]((?!--|__)[a-zA-Z0-9-_])+$/;
/** The spec's bounds for a volume's size, in GiB. */
const MIN_SIZE = 10;
const MAX_SIZE = 16_384;

function checkLabel(store: Store, label: unknown): Failure | undefined {
  if (label === undefined || label === null) return fail(400, REASON.required('label'), 'label');
  if (typeof label !== 'string' || label.length > 32 || !LABEL.test(label))
    return fail(400, REASON.badLabel, 'label');
  if ([...store.volumes.values()].some((v) => v.label === label))
    return fail(400, REASON.labelTaken, 'label');
  return undefined;
}

function checkSize(size: unknown, required: boolean): Failure | undefined {
  if (size === undefined || size === null)
    return required ? fail(400, REASON.required('size'), 'size') : undefined;
  if (typeof size !== 'number' || !Number.isInteger(size))
    return fail(400, REASON.mustBeInteger('size'), 'size');
  if (size < MIN_SIZE || size > MAX_SIZE) return fail(400, REASON.sizeRange(MIN_SIZE, MAX_SIZE), 'size');
  return undefined;
}

/** A new volume, `creating` until its event ends; then `active` (and io_ready if attached). */
function provision(
  store: Store,
  fields: { label: string; size: number; region: string; linodeId: number | null },
  action: 'volume_create' | 'volume_clone',
): VolumeRecord {
  const now = store.clock.nowMs();
  const volume: VolumeRecord = {
    ...fields,
    id: store.nextId('volume'),
    status: 'creating',
    hardwareType: 'nvme',
    encryption: 'disabled',
    tags: [],
    created: now,
    updated: now,
    ioReady: false,
    detachEventId: undefined,
  };
  store.volumes.set(volume.id, volume);
  startEvent(
    store,
    { action, entity: entity('volume', volume.id, volume.label) },
    {
      durationMs: store.delays.attachMs,
      onFail: () => {
        volume.status = 'contact_support';
        volume.updated = store.clock.nowMs();
      },
      onFinish: () => {
        volume.status = 'active';
        volume.ioReady = volume.linodeId !== null;
        volume.updated = store.clock.nowMs();
      },
    },
  );
  store.changed();
  return volume;
}

/** POST /volumes: `label` required; `size` defaults to 20; `region` or `linode_id` places it. */
export function createVolume(store: Store, body: Record<string, unknown>): Created {
  const bad = checkLabel(store, body['label']) ?? checkSize(body['size'], false);
  if (bad !== undefined) return bad;
  const linodeId = body['linode_id'] ?? null;
  let region = body['region'];
  if (linodeId !== null) {
    if (typeof linodeId !== 'number' || !Number.isInteger(linodeId))
      return fail(400, REASON.mustBeInteger('linode_id'), 'linode_id');
    const linode = store.instances.get(linodeId);
    if (linode === undefined) return fail(400, REASON.invalidLinodeId(linodeId), 'linode_id');
    if (region !== undefined && region !== linode.region) return fail(400, REASON.regionMismatch, 'region');
    region = linode.region;
  }
  if (region === undefined || region === null) return fail(400, REASON.regionOrLinode, 'region');
  if (typeof region !== 'string') return fail(400, REASON.badRegion, 'region');
  const size = typeof body['size'] === 'number' ? body['size'] : 20;
  const volume = provision(
    store,
    { label: body['label'] as string, size, region, linodeId: linodeId },
    'volume_create',
  );
  return { ok: true, volume };
}

/** POST /volumes/{id}/clone: same size and region as the source, which must be active. */
export function cloneVolume(store: Store, sourceId: number, body: Record<string, unknown>): Created {
  const source = store.volumes.get(sourceId);
  if (source === undefined) return fail(404, REASON.notFound);
  const bad = checkLabel(store, body['label']);
  if (bad !== undefined) return bad;
  if (source.status !== 'active') return fail(400, REASON.volumeNotActive);
  const volume = provision(
    store,
    { label: body['label'] as string, size: source.size, region: source.region, linodeId: null },
    'volume_clone',
  );
  return { ok: true, volume };
}

/** POST /volumes/{id}/resize: grows an active volume; `resizing` until its volume_resize event ends. */
export function resizeVolume(store: Store, volumeId: number, body: Record<string, unknown>): Created {
  const volume = store.volumes.get(volumeId);
  if (volume === undefined) return fail(404, REASON.notFound);
  const bad = checkSize(body['size'], true);
  if (bad !== undefined) return bad;
  const size = body['size'] as number;
  if (size <= volume.size) return fail(400, REASON.resizeDown(volume.size), 'size');
  if (volume.status !== 'active') return fail(400, REASON.volumeNotActive);
  volume.size = size;
  volume.status = 'resizing';
  volume.updated = store.clock.nowMs();
  startEvent(
    store,
    { action: 'volume_resize', entity: entity('volume', volume.id, volume.label) },
    {
      durationMs: store.delays.attachMs,
      onFail: () => {
        volume.status = 'active';
      },
      onFinish: () => {
        volume.status = 'active';
        volume.updated = store.clock.nowMs();
      },
    },
  );
  store.changed();
  return { ok: true, volume };
}
