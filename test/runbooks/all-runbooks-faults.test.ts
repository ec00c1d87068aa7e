// Every mutating runbook against its own scenario while both APIs fail now and then (500s, 429s
// with Retry-After, latency, watch streams cut): each run finishes, or stops cleanly and a resume
// finishes it; the night is recovered, each change reached the cluster once, and what must not be
// sent twice was not retried. postgres-connections and postgres-backup are not here: what they change
// is a real Postgres (pg_terminate_backend, pg_dump to a file), which no simulated API stands between.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { deployment } from '../../src/sim/scenarios/manifests.js';
import { writeTeamRepository } from '../../src/sim/team-repository.js';
import type { KubeObject } from '../../src/sim/world.js';
import {
  type Attempt,
  applied,
  assertEachChangeOnce,
  assertRetriesSafe,
  injectRealisticFaults,
  runThroughFaults,
} from '../helpers/faults.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

function assertRecovered(h: SimHarness, scenario: string): void {
  const check = findScenario(scenario)?.recovered(h.sim.world);
  assert.equal(check?.ok, true, check?.detail);
}

const faultsSeen = (attempts: readonly Attempt[]): number =>
  attempts.flatMap((a) => a.requests).filter((r) => r.status >= 500 || r.status === 429).length;

/** Watch streams opened again from the resourceVersion they had reached, after a cut: all runs. */
let resumedWatches = 0;

/** Starts the scenario, lets `prepare` set the scene, switches the faults on and runs to the end. */
async function underFaults(
  scenario: string,
  prepare: (h: SimHarness) => Promise<void> | void,
  run: (h: SimHarness) => Promise<Attempt[][]>,
  check: (h: SimHarness) => void,
): Promise<void> {
  const h = await startSimHarness(scenario);
  try {
    await prepare(h);
    await settle(h.sim.world);
    injectRealisticFaults(h);
    const runs = await run(h);
    const attempts = runs.flat();
    assert.ok(faultsSeen(attempts) > 0, 'faults were injected');
    assertRetriesSafe(attempts);
    resumedWatches += attempts
      .flatMap((a) => a.requests)
      .filter((r) => r.query.watch === 'true' && r.query.resourceVersion !== undefined).length;
    assertEachChangeOnce(h, runs);
    h.sim.world.faults.clear();
    await settle(h.sim.world);
    check(h);
  } finally {
    await h.stop();
  }
}

/** Creates the object unless the scenario already has it. */
function ensure(h: SimHarness, object: KubeObject): void {
  const { apiVersion, kind, metadata } = object;
  if (h.get(apiVersion, kind, metadata.namespace, metadata.name) === undefined)
    h.sim.world.kube.create(object);
}

const nodeOfApp = (h: SimHarness, app: string): string => {
  const pod = h.sim.world.kube.list('v1', 'Pod', 'default').find((p) => p.metadata.labels?.app === app);
  const node = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
  assert.ok(node !== undefined, `a ${app} pod on a node`);
  return node;
};

// The limits the team settled on after 2021-01-12, as that scenario's team repository holds them.
const limitsNight = findScenario('2021-01-12-site-cpu-ram-exhaustion');
assert.ok(limitsNight !== undefined);
const LIMITS = join(writeTeamRepository(limitsNight, mkdtempSync(join(tmpdir(), 'faults-'))), 'limits.yaml');

describe('every mutating runbook while the APIs fail now and then', { concurrency: true }, () => {
  // How many cut watches were resumed is reported, not asserted: whether a wait outlives a cut
  // depends on the machine's speed, and CI on Node 24 saw none (a run that never waits long).
  after(() => console.log(`# watch streams resumed after a cut: ${resumedWatches}`));

  it('postgres-remount', () =>
    underFaults(
      '2020-12-11-postgres-conn-surge',
      () => undefined,
      async (h) => [await runThroughFaults(h, ['postgres-remount', '--yes', '--backup', 'skip'])],
      (h) => {
        assertRecovered(h, '2020-12-11-postgres-conn-surge');
      },
    ));

  it('volume-reattach', () =>
    underFaults(
      '2021-07-11-cascading-node-failures',
      () => undefined,
      async (h) => [await runThroughFaults(h, ['volume-reattach', '--yes'])],
      (h) => {
        assertRecovered(h, '2021-07-11-cascading-node-failures');
        const detaches = [...applied(h).keys()].filter((k) => /^POST \/v4\/volumes\/\d+\/detach$/.test(k));
        assert.equal(detaches.length, 3, 'three volumes detached');
      },
    ));

  it('node-drain, then node-uncordon', () => {
    let node = '';
    return underFaults(
      'healthy',
      (h) => {
        h.sim.world.kube.create({
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'site', namespace: 'default' },
          spec: { minAvailable: 1, selector: { matchLabels: { app: 'site' } } },
        });
        node = nodeOfApp(h, 'site');
      },
      async (h) => {
        const drain = await runThroughFaults(h, ['node-drain', '--yes', '--node', node]);
        const left = h.sim.world.kube
          .list('v1', 'Pod')
          .filter((p) => (p.spec as { nodeName?: string }).nodeName === node);
        assert.deepEqual(left, [], 'the node was drained');
        return [drain, await runThroughFaults(h, ['node-uncordon', '--yes', '--node', node])];
      },
      (h) => {
        assertRecovered(h, 'healthy');
      },
    );
  });

  it('node-recycle', () =>
    underFaults(
      '2021-01-10-primary-kubernetes-node-outage',
      () => undefined,
      async (h) => [
        await runThroughFaults(h, ['node-recycle', '--yes', '--node', 'lke13311-20304-5ffa4d0d8a1c']),
      ],
      (h) => {
        assertRecovered(h, '2021-01-10-primary-kubernetes-node-outage');
      },
    ));

  it('core-services-restart', () =>
    underFaults(
      '2020-12-11-all-services-outage',
      (h) => {
        // What the operator fixes by hand that night first: Postgres provisioned, the bot's Secret back.
        ensure(
          h,
          deployment('postgres', 'default', 1, {
            image: 'postgres:13-alpine',
            port: 5432,
            claim: { name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' },
          }),
        );
        ensure(h, {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'bot-sentry', namespace: 'default' },
          data: { dsn: Buffer.from('https://key@sentry.example/1').toString('base64') },
        });
      },
      async (h) => [await runThroughFaults(h, ['core-services-restart', '--yes'])],
      (h) => {
        assertRecovered(h, '2020-12-11-all-services-outage');
      },
    ));

  it('resource-limits-audit --apply', () =>
    underFaults(
      '2021-01-12-site-cpu-ram-exhaustion',
      () => undefined,
      async (h) => [await runThroughFaults(h, ['resource-limits-audit', '--yes', '--apply', LIMITS])],
      (h) => {
        assertRecovered(h, '2021-01-12-site-cpu-ram-exhaustion');
        assert.equal(applied(h).size, 3, 'three workloads patched');
      },
    ));
});
