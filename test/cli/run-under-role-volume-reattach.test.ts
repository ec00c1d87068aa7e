// volume-reattach on the 2021-07-11 night under exactly its generated Role and Linode scopes.
import assert from 'node:assert/strict';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { describeUnderExactRole } from '../helpers/exact-role.js';

const SCENARIO = '2021-07-11-cascading-node-failures';

describeUnderExactRole(
  {
    runbook: 'volume-reattach',
    scenario: SCENARIO,
    without: { kind: 'Role', resource: 'deployments/scale' },
    check: (h) => {
      const check = findScenario(SCENARIO)?.recovered(h.sim.world);
      assert.equal(check?.ok, true, check?.detail);
    },
  },
  EXIT_CODES['missing-permission'],
);
