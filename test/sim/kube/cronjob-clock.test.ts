// The CronJob controller on the simulated clock: a Job at each scheduled minute the world lives
// through, under the instant clock as under a running one, and after the speed changes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { type Harness, startHarness } from './harness.js';

const MINUTE = 60_000;

function cronJob(name: string, schedule: string): Parameters<Harness['sim']['create']>[0] {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule,
      successfulJobsHistoryLimit: 100,
      jobTemplate: {
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'busybox' }] } },
        },
      },
    },
  };
}

/** The scheduled minutes (since the epoch) of the CronJob's Jobs, sorted. */
function jobMinutes(h: Harness, name: string): number[] {
  return h.sim
    .list('batch/v1', 'Job', 'default')
    .map((j) => j.metadata.name)
    .filter((n) => n.startsWith(`${name}-`))
    .map((n) => Number(n.slice(name.length + 1)))
    .sort((a, b) => a - b);
}

describe('CronJobs on the simulated clock', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('under the instant clock: one Job at each fifth minute time moves through, none beyond', async () => {
    const start = h.clock.nowMs();
    h.sim.create(cronJob('report', '*/5 * * * *'));
    await h.until('the CronJob is seen', () => h.sim.list('batch/v1', 'CronJob', 'default').length === 1);
    h.clock.advance(30 * MINUTE);
    const first = Math.floor(start / MINUTE / 5) * 5 + 5;
    const expected = Array.from({ length: 6 }, (_, i) => first + 5 * i).filter(
      (m) => m * MINUTE <= start + 30 * MINUTE,
    );
    assert.deepEqual(jobMinutes(h, 'report'), expected);
    assert.ok(h.clock.nowMs() - start < 31 * MINUTE, 'the CronJob did not move time on by itself');
    const cj = h.sim.list('batch/v1', 'CronJob', 'default')[0];
    const last = (cj?.status as { lastScheduleTime?: string } | undefined)?.lastScheduleTime;
    assert.equal(last, new Date((expected.at(-1) ?? 0) * MINUTE).toISOString().replace('.000Z', 'Z'));
  });

  it('a long jump of the clock creates a bounded number of Jobs, the latest minute among them', async () => {
    const start = h.clock.nowMs();
    h.sim.create(cronJob('tick', '* * * * *'));
    await h.until('the CronJob is seen', () => h.sim.list('batch/v1', 'CronJob', 'default').length === 1);
    h.clock.advance(24 * 60 * MINUTE);
    const minutes = jobMinutes(h, 'tick');
    assert.ok(minutes.length <= 100, `${String(minutes.length)} Jobs for one day's jump`);
    assert.equal(minutes.at(-1), Math.floor((start + 24 * 60 * MINUTE) / MINUTE));
  });

  it('set under the instant clock, the schedule runs once the clock runs (the speed changed)', async () => {
    h.sim.create(cronJob('later', '* * * * *'));
    await h.until('the CronJob is seen', () => h.sim.list('batch/v1', 'CronJob', 'default').length === 1);
    assert.deepEqual(jobMinutes(h, 'later'), []);
    h.clock.setSpeed(600_000); // ten simulated minutes a real millisecond
    await h.until('a Job of the CronJob', () => jobMinutes(h, 'later').length > 0, 10_000);
    h.clock.setSpeed('instant');
  });
});
