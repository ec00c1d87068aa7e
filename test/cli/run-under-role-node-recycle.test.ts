// node-recycle on the 2021-01-10 night under exactly its generated Role and Linode scopes.
import assert from 'node:assert/strict';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { describeUnderExactRole } from '../helpers/exact-role.js';

const SCENARIO = '2021-01-10-primary-kubernetes-node-outage';

describeUnderExactRole(
  {
    runbook: 'node-recycle',
    scenario: SCENARIO,
    args: ['--node', 'lke13311-20304-5ffa4d0d8a1c'],
    without: { kind: 'ClusterRole', resource: 'nodes' },
    check: (h) => {
      const check = findScenario(SCENARIO)?.recovered(h.sim.world);
      assert.equal(check?.ok, true, check?.detail);
    },
  },
  EXIT_CODES['missing-permission'],
);
