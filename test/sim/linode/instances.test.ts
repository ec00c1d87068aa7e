// Linode instances: reads, and boot/reboot/shutdown moving the status on the clock with a
// linode_* event, answering "Linode busy." while an action runs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getEvents, getLinode, getLinodes, linodeBoot, linodeReboot, linodeShutdown } from '@linode/api-v4';
import { expectHttpError, manualClock, seed, startSim, type Harness } from './harness.js';

void describe('linode sim: instances', () => {
  let h: Harness;
  let ids: ReturnType<typeof seed>;

  before(async () => {
    h = await startSim({ clock: manualClock(), powerDelayMs: 20_000 });
    ids = seed(h.sim);
  });
  after(() => h.close());

  void it('gets a Linode with the fields runbooks read', async () => {
    const linode = await getLinode(ids.linodeIds[0] ?? 0);
    assert.equal(linode.label, `lke${ids.clusterId}-node-0`);
    assert.equal(linode.status, 'running');
    assert.equal(linode.region, 'eu-central');
    assert.equal(linode.type, 'g6-standard-4');
    assert.equal(linode.specs.memory, 8192);
    assert.deepEqual(linode.ipv4, ['172.104.1.10']);
    assert.equal(linode.lke_cluster_id, ids.clusterId);
    assert.equal(linode.hypervisor, 'kvm');
    const filtered = await getLinodes({}, { label: `lke${ids.clusterId}-node-1` });
    assert.deepEqual(
      filtered.data.map((l) => l.id),
      [ids.linodeIds[1]],
    );
    const byIp = await getLinodes({}, { ipv4: '172.104.1.12' });
    assert.equal(byIp.data[0]?.id, ids.linodeIds[2]);
  });

  void it('shuts down, answers Linode busy meanwhile, then boots', async () => {
    const id = ids.linodeIds[0] ?? 0;
    assert.deepEqual(await linodeShutdown(id), {});
    assert.equal((await getLinode(id)).status, 'shutting_down');
    const busy = await expectHttpError(linodeBoot(id));
    assert.deepEqual(busy, { status: 400, errors: [{ reason: 'Linode busy.' }] });
    h.clock.settle(30_000);
    assert.equal((await getLinode(id)).status, 'offline');

    await linodeBoot(id);
    assert.equal((await getLinode(id)).status, 'booting');
    h.clock.settle(30_000);
    assert.equal((await getLinode(id)).status, 'running');
    const boots = await getEvents(
      {},
      { action: 'linode_boot', 'entity.id': id, '+order_by': 'created', '+order': 'desc' },
    );
    assert.equal(boots.data[0]?.status, 'finished');
    assert.equal(boots.data[0]?.secondary_entity?.type, 'linode_config');
  });

  void it('reboots through rebooting back to running', async () => {
    const id = ids.linodeIds[1] ?? 0;
    await linodeReboot(id);
    assert.equal((await getLinode(id)).status, 'rebooting');
    h.clock.settle(2500);
    const [event] = (await getEvents({}, { action: 'linode_reboot', 'entity.id': id })).data;
    assert.equal(event?.status, 'started');
    h.clock.settle(30_000);
    assert.equal((await getLinode(id)).status, 'running');
    const page = await getEvents({}, { created: { '+gte': '2000-01-01T00:00:00' }, 'entity.type': 'linode' });
    assert.equal(page.results, 3);
    assert.ok((page.data[0]?.id ?? 0) > (page.data[2]?.id ?? 0), 'events come newest first');
  });

  void it('answers 404 for an unknown Linode', async () => {
    const error = await expectHttpError(getLinode(42));
    assert.equal(error.status, 404);
  });
});
