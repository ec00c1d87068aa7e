// core-services-restart on the 2020-12-11 all-services night under exactly its generated Role: it
// restarts workloads in any namespace, so its changes are granted by the ClusterRole.
import assert from 'node:assert/strict';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { deployment } from '../../src/sim/scenarios/manifests.js';
import type { KubeObject } from '../../src/sim/world.js';
import { describeUnderExactRole } from '../helpers/exact-role.js';
import type { SimHarness } from '../helpers/sim.js';

const SCENARIO = '2020-12-11-all-services-outage';

/** Creates the object unless the scenario already has it. */
function ensure(h: SimHarness, object: KubeObject): void {
  const { apiVersion, kind, metadata } = object;
  if (h.get(apiVersion, kind, metadata.namespace, metadata.name) === undefined)
    h.sim.world.kube.create(object);
}

describeUnderExactRole(
  {
    runbook: 'core-services-restart',
    scenario: SCENARIO,
    // What the operator fixes by hand that night first: Postgres provisioned, the bot's Secret back.
    prepare: (h) => {
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
    without: { kind: 'ClusterRole', resource: 'daemonsets' },
    check: (h) => {
      const check = findScenario(SCENARIO)?.recovered(h.sim.world);
      assert.equal(check?.ok, true, check?.detail);
    },
  },
  EXIT_CODES['missing-permission'],
);
