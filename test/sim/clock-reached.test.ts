// whenReached: a timer that waits for simulated time instead of moving it, so a schedule that wakes
// itself (a CronJob) runs at its instants under every clock mode and never races the instant clock.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REACHED_PER_ADVANCE, createSimClock } from '../../src/sim/clock.js';

describe('the simulator clock: whenReached', () => {
  it('under the instant clock it does not move time, and is not pending work', () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    let fired = false;
    clock.whenReached(60_000, () => {
      fired = true;
    });
    clock.settle();
    assert.equal(fired, false);
    assert.equal(clock.nowMs(), 0);
    assert.equal(clock.pending(), 0);
    clock.stop();
  });

  it('runs at its own instant, in order with the timers that move time', async () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    const fired: Array<[string, number]> = [];
    clock.whenReached(30, () => fired.push(['reached 30', clock.nowMs()]));
    clock.whenReached(10, () => fired.push(['reached 10', clock.nowMs()]));
    clock.after(20, () => fired.push(['after 20', clock.nowMs()]));
    await new Promise<void>((resolve) => clock.after(40, resolve));
    assert.deepEqual(fired, [
      ['reached 10', 10],
      ['after 20', 20],
      ['reached 30', 30],
    ]);
    clock.stop();
  });

  it('a timer it runs may set an earlier-due timer: that one runs before time moves on', () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    const fired: Array<[string, number]> = [];
    clock.whenReached(10, () => clock.after(0, () => fired.push(['queue drained', clock.nowMs()])));
    clock.after(50, () => fired.push(['after 50', clock.nowMs()]));
    clock.settle();
    assert.deepEqual(fired, [
      ['queue drained', 10],
      ['after 50', 50],
    ]);
    clock.stop();
  });

  it('advance moves time and runs what is reached at its instant; beyond the cap, at the end', () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    const at: number[] = [];
    const count = REACHED_PER_ADVANCE + 10;
    for (let minute = 1; minute <= count; minute += 1)
      clock.whenReached(minute * 60_000, () => at.push(clock.nowMs()));
    clock.advance(2 * count * 60_000);
    assert.equal(clock.nowMs(), 2 * count * 60_000);
    assert.equal(at.length, count);
    assert.deepEqual(
      at.slice(0, REACHED_PER_ADVANCE),
      Array.from({ length: REACHED_PER_ADVANCE }, (_, i) => (i + 1) * 60_000),
    );
    assert.ok(at.slice(REACHED_PER_ADVANCE).every((t) => t === 2 * count * 60_000));
    clock.stop();
  });

  it('a cancelled one never runs', () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    let fired = false;
    const cancel = clock.whenReached(10, () => {
      fired = true;
    });
    cancel();
    clock.advance(60_000);
    assert.equal(fired, false);
    clock.stop();
  });

  it('set under the instant clock, it runs once the clock is sped up to real time', async () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    const reached = new Promise<number>((resolve) => clock.whenReached(60_000, () => resolve(clock.nowMs())));
    clock.setSpeed(1_000_000); // a simulated minute in 0.06 real ms
    assert.ok((await reached) >= 60_000);
    clock.stop();
  });
});
