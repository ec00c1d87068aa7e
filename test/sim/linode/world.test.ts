// The in-process LinodeWorld methods the CSI driver and scenarios call: same rules and events as
// HTTP, change notifications, and lookups.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimClock } from '../../../src/sim/clock.js';
import { createFaultSet } from '../../../src/sim/world.js';
import { createLinodeSim } from '../../../src/sim/linode/index.js';
import { waitFor } from './harness.js';

function world(): ReturnType<typeof createLinodeSim> {
  return createLinodeSim({ clock: createSimClock({ speed: 'instant' }), faults: createFaultSet() });
}

void describe('linode sim: in-process world', () => {
  void it('creates objects with a region default and a random token', () => {
    const sim = world();
    assert.equal(sim.region, 'eu-central');
    assert.match(sim.token, /^[0-9a-f]{32,}$/);
    assert.notEqual(sim.token, world().token);
    const linode = sim.createInstance({ label: 'lke1-a', ipv4: '172.104.9.9' });
    assert.deepEqual(sim.instance(linode.id), linode);
    assert.equal(linode.status, 'running');
    const volume = sim.createVolume({ label: 'pvc-abc', size: 10 });
    assert.equal(volume.status, 'active');
    assert.equal(volume.linode_id, null);
    assert.deepEqual(sim.volumeByLabel('pvc-abc'), volume);
    assert.equal(sim.volume(1), undefined);
    assert.throws(() => sim.createVolume({ label: 'pvc-abc', size: 10 }), /already exists/);
  });

  void it('attaches and detaches with the HTTP rules, notifying listeners on each change', async () => {
    const sim = world();
    const a = sim.createInstance({ label: 'lke1-a', ipv4: '172.104.9.9' });
    const b = sim.createInstance({ label: 'lke1-b', ipv4: '172.104.9.10' });
    const volume = sim.createVolume({ label: 'pvc-abc', size: 10 });
    let changes = 0;
    const stop = sim.onChange(() => changes++);

    assert.deepEqual(sim.attachVolume(volume.id, a.id), { ok: true });
    assert.equal(sim.volume(volume.id)?.linode_id, a.id);
    assert.equal(sim.volume(volume.id)?.linode_label, 'lke1-a');
    const busy = sim.attachVolume(volume.id, b.id);
    assert.equal(busy.ok, false);
    assert.ok(!busy.ok && busy.status === 400 && busy.reason.includes('is already attached'));
    const invalid = sim.attachVolume(volume.id, 5);
    assert.deepEqual(invalid, { ok: false, status: 400, reason: 'Invalid Linode ID 5' });
    assert.deepEqual(sim.detachVolume(12345), { ok: false, status: 404, reason: 'Not found' });

    assert.deepEqual(sim.detachVolume(volume.id), { ok: true });
    assert.equal(sim.volume(volume.id)?.linode_id, a.id, 'detach completes later');
    await waitFor('detach to complete', () => sim.volume(volume.id)?.linode_id === null);
    assert.ok(changes >= 4, `listeners heard ${changes} changes`);
    stop();
    const before = changes;
    sim.createInstance({ label: 'lke1-c', ipv4: '172.104.9.11' });
    assert.equal(changes, before, 'an unsubscribed listener hears nothing');
  });

  void it('caps attachments at clamp(RAM GiB, 8, 64) and holds a detach under the never-completes fault', async () => {
    const faults = createFaultSet();
    const sim = createLinodeSim({ clock: createSimClock({ speed: 'instant' }), faults, region: 'us-east' });
    assert.equal(sim.region, 'us-east');
    const small = sim.createInstance({ label: 'small', type: 'g6-nanode-1', ipv4: '10.0.0.1' });
    const volumes = Array.from({ length: 9 }, (_, i) => sim.createVolume({ label: `vol-${i}`, size: 10 }));
    for (const volume of volumes.slice(0, 8))
      assert.deepEqual(sim.attachVolume(volume.id, small.id), { ok: true });
    const ninth = sim.attachVolume(volumes[8]?.id ?? 0, small.id);
    assert.equal(ninth.ok, false);
    assert.equal(!ninth.ok && ninth.status, 400);

    faults.add({ kind: 'linode-detach-never-completes', volumeLabel: 'vol-0' });
    const stuck = volumes[0]?.id ?? 0;
    assert.deepEqual(sim.detachVolume(stuck), { ok: true });
    assert.deepEqual(sim.detachVolume(volumes[1]?.id ?? 0), { ok: true });
    await waitFor('the other detach', () => sim.volume(volumes[1]?.id ?? 0)?.linode_id === null);
    assert.equal(sim.volume(stuck)?.linode_id, small.id);
  });
});
