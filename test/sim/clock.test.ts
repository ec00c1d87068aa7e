import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimClock, parseClockSpeed } from '../../src/sim/clock.js';

describe('the simulator clock', () => {
  it('runs timers in order of simulated time, instantly', async () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    const fired: Array<[string, number]> = [];
    clock.after(30_000, () => fired.push(['grace period over', clock.nowMs()]));
    clock.after(1_000, () => fired.push(['scheduled', clock.nowMs()]));
    await new Promise<void>((resolve) => clock.after(60_000, resolve));
    assert.deepEqual(fired, [
      ['scheduled', 1_000],
      ['grace period over', 30_000],
    ]);
    clock.stop();
  });

  it('settle runs everything due within the horizon, including timers those timers set', () => {
    const clock = createSimClock({ startMs: 0, speed: 'instant' });
    const fired: number[] = [];
    clock.after(10, () => clock.after(10, () => fired.push(clock.nowMs())));
    clock.after(120_000, () => fired.push(-1));
    clock.settle(60_000);
    assert.deepEqual(fired, [20]);
    assert.equal(clock.pending(), 1);
    clock.stop();
  });

  it('a cancelled timer never fires', () => {
    const clock = createSimClock({ startMs: 0 });
    let fired = false;
    const cancel = clock.after(5, () => {
      fired = true;
    });
    cancel();
    clock.settle();
    assert.equal(fired, false);
    clock.stop();
  });

  it('parses speeds as the CLI takes them', () => {
    assert.equal(parseClockSpeed('instant'), 'instant');
    assert.equal(parseClockSpeed('10'), 10);
    assert.equal(parseClockSpeed('0'), undefined);
    assert.equal(parseClockSpeed('fast'), undefined);
  });
});
