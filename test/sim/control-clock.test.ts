// The clock through the control API: its speed changes at run time, and what waits on the clock (a
// CronJob's next minute) runs at the new speed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../src/sim/server.js';
import { findScenario } from '../../src/sim/scenarios/index.js';

describe('the clock through the control API', () => {
  let sim: RunningSimulator;
  const post = (body: unknown) =>
    fetch(`${sim.url}/_sim/clock`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      json: (await r.json()) as { speed?: unknown; error?: string },
    }));

  before(async () => {
    const scenario = findScenario('healthy');
    assert.ok(scenario !== undefined);
    sim = await startSimulator({ world: scenarioLoader(scenario), speed: 'instant' });
  });
  after(() => sim.stop());

  it('refuses a speed that is not one', async () => {
    const bad = await post({ speed: 0 });
    assert.equal(bad.status, 400);
    assert.match(bad.json.error ?? '', /positive number or "instant"/);
  });

  it('a CronJob created under the instant clock runs its Job once the speed is raised', async () => {
    sim.world.kube.create({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'minutely', namespace: 'default' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'a', image: 'busybox' }] } },
          },
        },
      },
    });
    const jobs = (): number => sim.world.kube.list('batch/v1', 'Job', 'default').length;
    // Half a minute past the CronJob's next minute, as the clock reaches it (it never moves time itself).
    const minute = 60_000;
    const past = Math.ceil(sim.world.clock.nowMs() / minute) * minute + minute / 2;
    const reached = new Promise<void>((resolve) => sim.world.clock.whenReached(past, resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(jobs(), 0, 'under the instant clock the CronJob waits');
    const raised = await post({ speed: 600_000 });
    assert.equal(raised.status, 200);
    assert.equal(raised.json.speed, 600_000);
    await reached;
    assert.ok(jobs() > 0, 'the Job of the minute the clock went through');
    const state = (await (await fetch(`${sim.url}/_sim/clock`)).json()) as { speed: unknown };
    assert.equal(state.speed, 600_000);
    assert.equal((await post({ speed: 'instant' })).json.speed, 'instant');
  });
});
