// The one way to bound a wait: it ends at its time on the clock it is given, follows its parent and
// lets go of it when disposed, and ends at once when the clock says nothing more will ever happen.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { DeadlineExceeded, startDeadline, withDeadline } from '../../src/engine/deadline.js';
import { createSimClock } from '../../src/sim/clock.js';
import { simWaitClock } from '../../src/sim/wait-clock.js';

const aborted = (signal: AbortSignal): Promise<unknown> =>
  new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('a deadline', () => {
  it('ends when its time has passed on its clock, however long that is in real time', async () => {
    const sim = createSimClock({ speed: 10_000 });
    try {
      const clock = simWaitClock(sim);
      const deadline = startDeadline(300_000, { clock });
      const reason = await aborted(deadline.signal);
      assert.ok(reason instanceof DeadlineExceeded);
      assert.equal(deadline.ended, 'time');
      assert.ok(deadline.expired);
      assert.ok(deadline.elapsedMs() >= 300_000, `${deadline.elapsedMs()} simulated ms`);
      assert.equal(deadline.remainingMs(), 0);
    } finally {
      sim.stop();
    }
  });

  it('follows its parent, with the parent’s reason, and leaves it alone once disposed', async () => {
    const parent = new AbortController();
    const followed = startDeadline(60_000, { parent: parent.signal });
    const disposed = startDeadline(60_000, { parent: parent.signal });
    assert.equal(getEventListeners(parent.signal, 'abort').length, 2);
    disposed.dispose();
    assert.equal(getEventListeners(parent.signal, 'abort').length, 1);
    assert.equal(disposed.ended, 'disposed');
    assert.ok(disposed.signal.aborted, 'what follows a disposed deadline stops too');
    parent.abort(new Error('Ctrl-C'));
    assert.equal(followed.ended, 'parent');
    assert.equal((followed.signal.reason as Error).message, 'Ctrl-C');
    assert.equal(followed.expired, false);
    assert.equal(getEventListeners(parent.signal, 'abort').length, 0);
    await Promise.resolve();
  });

  it('bounds work that never settles, and rejects with DeadlineExceeded', async () => {
    const sim = createSimClock({ speed: 10_000 });
    try {
      const never = new Promise<never>(() => undefined);
      await assert.rejects(
        withDeadline(30_000, () => never, { clock: simWaitClock(sim) }),
        (error: unknown) => error instanceof DeadlineExceeded && error.ms === 30_000,
      );
    } finally {
      sim.stop();
    }
  });
});
