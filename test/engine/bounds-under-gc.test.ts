// Bounded means bounded, whatever the garbage collector does: each case runs in its own Node process
// with --expose-gc and a collection forced every 30 ms (test/helpers/gc-pressure.mjs), since on
// Node 20 a deadline built from AbortSignal.timeout/any may never fire once the GC has run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import type { Ended } from '../helpers/bounds-under-gc.js';
import { ROOT } from '../helpers/cli.js';

async function underGc(which: 'watch' | 'poll' | 'webhook'): Promise<Ended> {
  const result = await execa(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      '--import',
      './test/helpers/gc-pressure.mjs',
      join('test', 'helpers', 'bounds-under-gc.ts'),
      which,
    ],
    {
      cwd: ROOT,
      reject: false,
      timeout: 150_000,
      env: { GC_PRESSURE_START: 'on-demand', GC_PRESSURE_MS: '30' },
    },
  );
  assert.equal(result.exitCode, 0, `${result.stderr}\n${result.stdout}`);
  assert.match(result.stderr, /gc-pressure: \d+ collections/);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Ended;
}

describe('a bound under forced garbage collection', { concurrency: true }, () => {
  it("a watched wait that is never met gives up at its bound on the simulator's clock, with its own reason", async () => {
    const ended = await underGc('watch');
    assert.equal(ended.code, 'wait-timeout', ended.message);
    assert.equal(ended.message, 'Gave up after 300s: deployment default/nowhere does not exist yet');
    assert.ok(ended.collections >= 3, `only ${ended.collections} collections during the wait`);
    assert.ok((ended.simMs ?? 0) >= 300_000, `ended after ${ended.simMs} simulated ms`);
    // 300 simulated seconds at ×20 are 15 real seconds; on real time it would be 300.
    assert.ok(ended.realMs < 60_000, `took ${ended.realMs} real ms`);
  });

  it('a polled wait (Linode has no watch) that is never met gives up at its bound, with its own reason', async () => {
    const ended = await underGc('poll');
    assert.equal(ended.code, 'wait-timeout', ended.message);
    assert.match(
      ended.message,
      /^Gave up after 300s: volume \S+ is still attached to Linode \S+; no volume_detach event yet$/,
    );
    assert.ok(ended.collections >= 3, `only ${ended.collections} collections during the wait`);
    assert.ok((ended.simMs ?? 0) >= 300_000, `ended after ${ended.simMs} simulated ms`);
    assert.ok(ended.realMs < 60_000, `took ${ended.realMs} real ms`);
  });

  it('a chat post to a receiver that never answers is given up at its bound, then dropped', async () => {
    const ended = await underGc('webhook');
    assert.ok((ended.requests ?? 0) >= 1, 'the post reached the receiver');
    assert.equal(ended.dropped, 1);
    assert.ok(ended.collections >= 3, `only ${ended.collections} collections during the posts`);
    // Two posts of at most 1.5 s and a 250 ms pause; the flush itself would have allowed 120 s.
    assert.ok(ended.realMs < 30_000, `took ${ended.realMs} real ms`);
  });
});
