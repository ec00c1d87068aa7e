// The fault paths a random rate only sometimes takes, taken every time: a call that must not be
// sent twice fails with 500 (not retried: the run stops cleanly, a resume finishes it), the same
// call refused with 429 (retried: 429 proves Linode did nothing), and an idempotent write failing
// for good (retried a bounded number of times, then a clean stop and a resume).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { DEFAULT_RETRY } from '../../src/providers/shared/retry.js';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import type { Fault } from '../../src/sim/world.js';
import { runCli } from '../helpers/cli.js';
import { assertEachChangeOnce, type Attempt } from '../helpers/faults.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const RECYCLE = /^\/v4\/lke\/clusters\/\d+\/nodes\/[^/]+\/recycle$/;
const PRIMARY = 'lke13311-20304-5ffa4d0d8a1c';

async function attempt(h: SimHarness, args: readonly string[]): Promise<Attempt> {
  const from = h.sim.requests.length;
  const result = await runCli(args, { env: h.env() });
  return { args, result, requests: h.sim.requests.slice(from) };
}

async function withScenario(name: string, test: (h: SimHarness) => Promise<void>): Promise<void> {
  const h = await startSimHarness(name);
  try {
    await test(h);
  } finally {
    await h.stop();
  }
}

function assertRecovered(h: SimHarness, name: string): void {
  const check = findScenario(name)?.recovered(h.sim.world);
  assert.equal(check?.ok, true, check?.detail);
}

const runIdIn = (a: Attempt): string => {
  const id = /runbook resume (\S+)`/.exec(a.result.stderr)?.[1];
  assert.ok(id !== undefined, a.result.stderr + a.result.stdout);
  return id;
};

describe('faults that stop a run, and the resume that finishes it', { concurrency: true }, () => {
  it('an LKE recycle answered 500 is not sent again; the run stops, and resume recycles once', () =>
    withScenario('2021-01-10-primary-kubernetes-node-outage', async (h) => {
      const fault: Fault = {
        kind: 'api-error',
        api: 'linode',
        method: 'POST',
        pathPattern: RECYCLE.source,
        status: 500,
        rate: 1,
      };
      h.sim.world.faults.add(fault);
      const failed = await attempt(h, ['node-recycle', '--yes', '--node', PRIMARY]);
      assert.equal(failed.result.exitCode, EXIT_CODES['step-failed'], failed.result.stderr);
      assert.match(
        failed.result.stderr,
        /The Linode API failed to recycle LKE node \S+ of cluster \d+ \(500/,
      );
      const recycles = failed.requests.filter((r) => r.method === 'POST' && RECYCLE.test(r.path));
      assert.deepEqual(
        recycles.map((r) => r.status),
        [500],
        'sent once: a 500 does not prove Linode did nothing',
      );
      h.sim.world.faults.remove(fault);
      const resumed = await attempt(h, ['resume', runIdIn(failed), '--yes']);
      assert.equal(resumed.result.exitCode, 0, resumed.result.stderr + resumed.result.stdout);
      await settle(h.sim.world);
      assertRecovered(h, '2021-01-10-primary-kubernetes-node-outage');
      assertEachChangeOnce(h, [[failed, resumed]]);
    }));

  it('the same recycle answered 429 twice is retried after Retry-After, and sent through once', () =>
    withScenario('2021-01-10-primary-kubernetes-node-outage', async (h) => {
      h.sim.world.faults.add({
        kind: 'api-error',
        api: 'linode',
        method: 'POST',
        pathPattern: RECYCLE.source,
        status: 429,
        rate: 1,
        retryAfterSeconds: 0,
        count: 2,
      });
      const run = await attempt(h, ['node-recycle', '--yes', '--node', PRIMARY]);
      assert.equal(run.result.exitCode, 0, run.result.stderr + run.result.stdout);
      const recycles = run.requests.filter((r) => r.method === 'POST' && RECYCLE.test(r.path));
      assert.deepEqual(
        recycles.map((r) => r.status),
        [429, 429, 200],
      );
      await settle(h.sim.world);
      assertRecovered(h, '2021-01-10-primary-kubernetes-node-outage');
    }));

  it('a scale that keeps failing is tried a bounded number of times; resume finishes the reattach', () =>
    withScenario('2021-07-11-cascading-node-failures', async (h) => {
      const fault: Fault = {
        kind: 'api-error',
        api: 'kubernetes',
        method: 'PATCH',
        pathPattern: '/scale$',
        status: 503,
        rate: 1,
      };
      h.sim.world.faults.add(fault);
      const failed = await attempt(h, ['volume-reattach', '--yes']);
      assert.equal(failed.result.exitCode, EXIT_CODES['step-failed'], failed.result.stderr);
      assert.match(failed.result.stderr, /The Kubernetes API failed to scale \S+ default\/\S+: 503/);
      const scales = failed.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/scale'));
      assert.equal(
        scales.length,
        DEFAULT_RETRY.attempts,
        'one workload, tried at most DEFAULT_RETRY.attempts times',
      );
      assert.equal(new Set(scales.map((r) => r.path)).size, 1);
      h.sim.world.faults.remove(fault);
      const resumed = await attempt(h, ['resume', runIdIn(failed), '--yes']);
      assert.equal(resumed.result.exitCode, 0, resumed.result.stderr + resumed.result.stdout);
      await settle(h.sim.world);
      assertRecovered(h, '2021-07-11-cascading-node-failures');
      assertEachChangeOnce(h, [[failed, resumed]]);
    }));
});
