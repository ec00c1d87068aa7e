// Volumes through the real @linode/api-v4 client: paging, X-Filter, attach/detach with their
// asynchronous completion and events, and the errors consumers match on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  attachVolume,
  detachVolume,
  getEvent,
  getEvents,
  getLinodeVolumes,
  getVolume,
  getVolumes,
} from '@linode/api-v4';
import { expectHttpError, manualClock, raw, seed, startSim, waitFor, type Harness } from './harness.js';

void describe('linode sim: volumes', () => {
  let h: Harness;
  let ids: ReturnType<typeof seed>;

  before(async () => {
    h = await startSim();
    ids = seed(h.sim);
    for (let i = 0; i < 57; i++)
      h.sim.createVolume({ label: `bulk-${String(i).padStart(2, '0')}`, size: 10 });
  });
  after(() => h.close());

  void it('pages the collection with page and page_size', async () => {
    const first = await getVolumes({ page: 1, page_size: 25 });
    assert.equal(first.results, 60);
    assert.equal(first.pages, 3);
    assert.equal(first.page, 1);
    assert.equal(first.data.length, 25);
    const last = await getVolumes({ page: 3, page_size: 25 });
    assert.equal(last.data.length, 10);
    const all = await getVolumes();
    assert.equal(all.data.length, 60, 'default page_size is 100');
    const seen = new Set(
      [...first.data, ...(await getVolumes({ page: 2, page_size: 25 })).data, ...last.data].map((v) => v.id),
    );
    assert.equal(seen.size, 60);
  });

  void it('refuses a page_size outside 25-500', async () => {
    const error = await expectHttpError(getVolumes({ page_size: 10 }));
    assert.equal(error.status, 400);
    assert.equal(error.errors[0]?.field, 'page_size');
  });

  void it('filters by label with X-Filter, and refuses a field that is not filterable', async () => {
    const page = await getVolumes({}, { label: 'pvc-1a1b2c3d4e5f6a7b' });
    assert.equal(page.results, 1);
    assert.equal(page.data[0]?.id, ids.volumeIds[1]);
    const contains = await getVolumes({}, { label: { '+contains': 'bulk-1' } });
    assert.equal(contains.results, 10);
    const either = await getVolumes({}, { '+or': [{ label: 'bulk-00' }, { label: 'bulk-01' }] });
    assert.equal(either.results, 2);
    const error = await expectHttpError(getVolumes({}, { size: 10 }));
    assert.equal(error.status, 400);
    assert.deepEqual(error.errors[0], { reason: 'Cannot filter on size', field: 'X-Filter' });
  });

  void it('gets a volume with the fields the real API returns', async () => {
    const volume = await getVolume(ids.volumeIds[0] ?? 0);
    assert.equal(volume.label, 'pvc-0a1b2c3d4e5f6a7b');
    assert.equal(volume.linode_id, ids.linodeIds[0]);
    assert.equal(volume.linode_label, `lke${ids.clusterId}-node-0`);
    assert.equal(volume.filesystem_path, '/dev/disk/by-id/scsi-0Linode_Volume_pvc-0a1b2c3d4e5f6a7b');
    assert.equal(volume.status, 'active');
    assert.equal(volume.region, 'eu-central');
    assert.match(volume.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(volume.io_ready, true);
    assert.deepEqual((volume as unknown as { locks: unknown[] }).locks, []);
    const error = await expectHttpError(getVolume(999));
    assert.deepEqual(error, { status: 404, errors: [{ reason: 'Not found' }] });
  });

  void it('attaches at once (linode_id set in the answer), then detaches asynchronously on the clock', async () => {
    const volumeId = ids.volumeIds[2] ?? 0;
    const linodeId = ids.linodeIds[2] ?? 0;
    const attached = await attachVolume(volumeId, { linode_id: linodeId });
    assert.equal(attached.linode_id, linodeId);
    assert.equal(attached.linode_label, `lke${ids.clusterId}-node-2`);
    await waitFor('io_ready', async () => (await getVolume(volumeId)).io_ready === true);
    assert.deepEqual(
      (await getLinodeVolumes(linodeId)).data.map((v) => v.id),
      [volumeId],
    );

    assert.deepEqual(await detachVolume(volumeId), {});
    await waitFor('linode_id null', async () => (await getVolume(volumeId)).linode_id === null);
    assert.equal((await getLinodeVolumes(linodeId)).results, 0);
    const events = await getEvents({}, { action: 'volume_detach', 'entity.id': volumeId });
    assert.equal(events.results, 1);
    assert.equal(events.data[0]?.status, 'finished');
    assert.equal(events.data[0]?.secondary_entity?.id, linodeId);
    const attach = await getEvents(
      {},
      { action: 'volume_attach', 'entity.id': volumeId, 'entity.type': 'volume' },
    );
    assert.equal(attach.data[0]?.status, 'finished');
  });

  void it('answers 400 "is already attached" for a volume attached elsewhere, and Invalid Linode ID', async () => {
    const volumeId = ids.volumeIds[0] ?? 0;
    const error = await expectHttpError(attachVolume(volumeId, { linode_id: ids.linodeIds[1] ?? 0 }));
    assert.equal(error.status, 400);
    assert.match(error.errors[0]?.reason ?? '', /is already attached/);
    assert.equal(
      error.errors[0]?.reason,
      `Volume ${volumeId} is already attached to Linode ${ids.linodeIds[0]}`,
    );
    const invalid = await expectHttpError(attachVolume(ids.volumeIds[2] ?? 0, { linode_id: 99999 }));
    assert.deepEqual(invalid, { status: 400, errors: [{ reason: 'Invalid Linode ID 99999' }] });
  });

  void it('answers 400 to a detach of a volume that is not attached (documented choice)', async () => {
    const error = await expectHttpError(detachVolume(ids.volumeIds[2] ?? 0));
    assert.equal(error.status, 400);
    assert.match(error.errors[0]?.reason ?? '', /is not attached/);
  });

  void it('serves /v4beta like /v4', async () => {
    const beta = await raw(h.root, `/v4beta/volumes/${ids.volumeIds[0]}`, { token: h.sim.token });
    assert.equal(beta.status, 200);
    assert.equal((beta.body as { id: number }).id, ids.volumeIds[0]);
  });
});

void describe('linode sim: detach events on a stepped clock', () => {
  let h: Harness;
  let ids: ReturnType<typeof seed>;

  before(async () => {
    h = await startSim({ clock: manualClock(), detachDelayMs: 5000 });
    ids = seed(h.sim);
  });
  after(() => h.close());

  void it('moves one event id scheduled → started (rising) → finished, linode_id kept until then', async () => {
    const volumeId = ids.volumeIds[0] ?? 0;
    await detachVolume(volumeId);
    const [event] = (await getEvents({}, { action: 'volume_detach', 'entity.id': volumeId })).data;
    assert.ok(event);
    assert.equal(event.status, 'scheduled');
    assert.equal(event.entity?.type, 'volume');
    assert.equal(event.entity?.url, `/v4/volumes/${volumeId}`);
    assert.match(event.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

    h.clock.settle(1000);
    const started = await getEvent(event.id);
    assert.equal(started.status, 'started');
    assert.equal((await getVolume(volumeId)).linode_id, ids.linodeIds[0], 'still attached while detaching');
    assert.deepEqual(await detachVolume(volumeId), {}, 'a second detach while one runs is 200 {}');

    h.clock.settle(2000);
    const later = await getEvent(event.id);
    assert.equal(later.status, 'started');
    assert.ok((later.percent_complete ?? 0) > (started.percent_complete ?? 0), 'percent_complete rises');

    h.clock.settle(5000);
    const finished = await getEvent(event.id);
    assert.equal(finished.status, 'finished');
    assert.equal(finished.percent_complete, 100);
    assert.equal((await getVolume(volumeId)).linode_id, null);
    assert.equal(
      (await getEvents({}, { action: 'volume_detach' })).results,
      1,
      'one event, not one per status',
    );
  });

  void it('holds a detach forever under linode-detach-never-completes, and lets it finish once lifted', async () => {
    const volumeId = ids.volumeIds[1] ?? 0;
    h.faults.add({ kind: 'linode-detach-never-completes', volumeLabel: 'pvc-1a1b2c3d4e5f6a7b' });
    assert.deepEqual(await detachVolume(volumeId), {});
    h.clock.settle(60 * 60_000);
    const volume = await getVolume(volumeId);
    assert.equal(volume.linode_id, ids.linodeIds[1]);
    const [event] = (await getEvents({}, { action: 'volume_detach', 'entity.id': volumeId })).data;
    assert.equal(event?.status, 'started');
    assert.deepEqual(await detachVolume(volumeId), {}, 'retrying is still 200 {}');
    h.clock.settle(60 * 60_000);
    assert.equal((await getVolume(volumeId)).linode_id, ids.linodeIds[1]);
    assert.equal(h.clock.pending(), 0, 'no timer spins while stuck');

    h.faults.clear();
    await detachVolume(volumeId);
    h.clock.settle(10_000);
    assert.equal((await getVolume(volumeId)).linode_id, null);
    assert.equal((await getEvent(event?.id ?? 0)).status, 'finished');
  });
});
