// Linode volume create, clone and resize end to end through the executor and the real Linode
// provider against the simulator's Linode API: a new volume is `creating`, then active; a clone has
// its own id and the source's size; a resize grows, and a smaller size is refused before any call.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectTarget } from '../../src/cli/target.js';
import { executeAction } from '../../src/engine/executor.js';
import type { Readers, Writers } from '../../src/engine/ports.js';
import { runWait } from '../../src/engine/wait-runner.js';
import {
  type VolumeActiveWait,
  cloneVolume,
  createVolume,
  resizeVolume,
  volumeActive,
} from '../../src/engine/vocabulary/index.js';
import { waitClockFor } from '../../src/sim/wait-clock.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('linode.volume.create, clone and resize on the simulator', () => {
  let h: SimHarness;
  let write: Writers;
  let read: Readers;
  let region: string;
  before(async () => {
    h = await startSimHarness('healthy');
    ({ write, read } = await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() }));
    region = (await read.linode.snapshot()).volumes[0]?.region ?? 'us-east';
  });
  after(() => h.stop());

  const byLabel = async (label: string) => (await read.linode.findVolumes(label))[0];
  const untilActive = (fields: Omit<VolumeActiveWait, 'kind' | 'timeoutMs'>) =>
    runWait(volumeActive({ ...fields, timeoutMs: 600_000 }), read, {
      signal: new AbortController().signal,
      onProgress: () => {},
      clock: waitClockFor(h.sim.world.clock),
    });

  it('creates a volume: creating at first, then active', async () => {
    const create = createVolume({ label: 'pg-data-16', size: 30, region });
    const mutationsBefore = h.mutations().length;
    await executeAction(create, write);
    assert.equal(h.mutations().length, mutationsBefore + 1, 'one POST /volumes');
    const made = await byLabel('pg-data-16');
    assert.equal(made?.status, 'creating');
    assert.equal(made?.size, 30);
    const outcome = await untilActive({ volumeLabel: 'pg-data-16' });
    assert.equal(outcome.detail, 'volume pg-data-16 is active, 30 GiB');
  });

  it('clones a volume: its own id, the source size and region', async () => {
    const source = await byLabel('pg-data-16');
    assert.ok(source !== undefined);
    await executeAction(cloneVolume(source, 'pg-data-16-copy'), write);
    await untilActive({ volumeLabel: 'pg-data-16-copy' });
    const clone = await byLabel('pg-data-16-copy');
    assert.notEqual(clone?.id, source.id);
    assert.equal(clone?.size, source.size);
    assert.equal(clone?.region, source.region);
    assert.equal(clone?.linode_id, null);
    const events = await read.linode.recentEvents('volume', clone?.id ?? 0, 'volume_clone');
    assert.equal(events[0]?.status, 'finished');
  });

  it('grows a volume, and refuses shrinking before any call', async () => {
    const volume = await byLabel('pg-data-16-copy');
    assert.ok(volume !== undefined);
    const mutationsBefore = h.mutations().length;
    assert.throws(
      () => resizeVolume(volume, 20),
      /^RunbookError: Volume pg-data-16-copy cannot be resized from 30 GiB to 20 GiB: Linode volumes only grow\.$/,
    );
    assert.equal(h.mutations().length, mutationsBefore, 'nothing was sent');

    await executeAction(resizeVolume(volume, 50), write);
    assert.equal((await byLabel('pg-data-16-copy'))?.status, 'resizing');
    const outcome = await untilActive({ volumeLabel: 'pg-data-16-copy', size: 50 });
    assert.equal(outcome.detail, 'volume pg-data-16-copy is active, 50 GiB');
    const events = await read.linode.recentEvents('volume', volume.id, 'volume_resize');
    assert.equal(events[0]?.status, 'finished');
  });

  it('is refused by the API as Linode refuses it: a resize down, a label taken', async () => {
    const volume = await byLabel('pg-data-16');
    assert.ok(volume !== undefined);
    await assert.rejects(write.linode.resizeVolume(volume.id, 10), /only be resized up/);
    await assert.rejects(write.linode.cloneVolume(volume.id, 'pg-data-16-copy'), /unique/);
  });
});
