// A wait tells how long it has waited against its bound, again every few seconds of the clock it is
// bounded on (the simulator's, here), and says what it still waits for, never a contradiction.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectTarget } from '../../src/cli/target.js';
import { noRecorder } from '../../src/engine/journal-events.js';
import type { Readers } from '../../src/engine/ports.js';
import { runStepWaits } from '../../src/engine/step-waits.js';
import { volumeDetached } from '../../src/engine/vocabulary/index.js';
import { WAIT_REFRESH_MS, type WaitProgress, clockTime, waitLine } from '../../src/engine/wait-progress.js';
import { simWaitClock } from '../../src/sim/wait-clock.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('clock times', () => {
  it('reads as minutes and seconds, hours when there are any', () => {
    assert.equal(clockTime(0), '0:00');
    assert.equal(clockTime(42_900), '0:42');
    assert.equal(clockTime(300_000), '5:00');
    assert.equal(clockTime(3_723_000), '1:02:03');
    assert.equal(
      waitLine({ reason: 'volume v still attached', elapsedMs: 42_000, boundMs: 300_000 }),
      'waiting 0:42 of 5:00 — volume v still attached',
    );
  });
});

describe('a wait on the simulator clock', () => {
  let h: SimHarness;
  let read: Readers;
  let volume: { id: number; label: string; linodeId: number; linodeLabel: string };
  before(async () => {
    // 10 simulated seconds per real second: a 20 s bound is two real seconds.
    h = await startSimHarness('healthy', 10);
    ({ read } = await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() }));
    const attached = (await read.linode.listVolumes()).find((v) => v.linode_id !== null);
    assert.ok(attached?.linode_id != null);
    volume = {
      id: attached.id,
      label: attached.label,
      linodeId: attached.linode_id,
      linodeLabel: attached.linode_label ?? '',
    };
  });
  after(() => h.stop());

  const waitOnce = async (timeoutMs: number): Promise<{ seen: WaitProgress[]; error: unknown }> => {
    const seen: WaitProgress[] = [];
    const error: unknown = await runStepWaits(
      [volumeDetached({ volumeId: volume.id, volumeLabel: volume.label, timeoutMs })],
      {
        stepId: 'detach',
        read,
        signal: new AbortController().signal,
        recorder: noRecorder,
        longWaitMs: 600_000,
        clock: simWaitClock(h.sim.world.clock),
        out: { say: () => undefined, progress: () => undefined, waiting: (p) => seen.push(p) },
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { seen, error };
  };

  it('is told again every few seconds of simulated time, with its elapsed time against its bound', async () => {
    const { seen, error } = await waitOnce(20_000);
    assert.match(String(error), /Gave up after 20s: volume \S+ is still attached/);
    // Told at once: before the first refresh is due (the clock may have moved a tick by then).
    assert.ok((seen[0]?.elapsedMs ?? Infinity) < WAIT_REFRESH_MS, `first told at ${seen[0]?.elapsedMs}`);
    assert.ok(seen.length >= 20_000 / WAIT_REFRESH_MS - 2, `told ${seen.length} times`);
    // A refresh is due WAIT_REFRESH_MS after the last; a busy machine's timers may fire a little late.
    const gaps = seen.slice(1).map((p, i) => p.elapsedMs - (seen[i]?.elapsedMs ?? 0));
    assert.ok(Math.max(...gaps) <= WAIT_REFRESH_MS + 1_500, `gaps ${gaps.join(', ')}`);
    assert.ok((seen.at(-1)?.elapsedMs ?? 0) >= 18_000);
    assert.ok(seen.every((p) => p.boundMs === 20_000));
    assert.match(
      waitLine(seen.at(-1) ?? { reason: '', elapsedMs: 0, boundMs: 0 }),
      /^waiting 0:(1[89]|20) of 0:20 — volume \S+ is still attached to Linode \S+; no volume_detach event yet$/,
    );
  });

  it('a volume_detach event that finished while the volume still names its Linode is said as such', async () => {
    h.sim.world.linode.restoreEvent({
      id: 990001,
      action: 'volume_detach',
      created: h.sim.world.clock.nowMs(),
      status: 'finished',
      percentComplete: 100,
      entity: { id: volume.id, label: volume.label, type: 'volume' },
      secondaryEntity: { id: volume.linodeId, label: volume.linodeLabel, type: 'linode' },
      username: 'test',
    });
    const { seen } = await waitOnce(4_000);
    const reason = seen.at(-1)?.reason ?? '';
    assert.equal(
      reason,
      `volume_detach event 990001 is finished (100%), but volume ${volume.label} still names Linode ${volume.linodeLabel}: waiting until it shows detached`,
    );
    assert.doesNotMatch(reason, /is still attached/);
  });
});
