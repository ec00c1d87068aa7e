// redis-recover on the 2021-07-11 Redis out-of-memory night under exactly its generated Role.
import assert from 'node:assert/strict';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { describeUnderExactRole } from '../helpers/exact-role.js';

const SCENARIO = '2021-07-11-redis-out-of-memory';

describeUnderExactRole(
  {
    runbook: 'redis-recover',
    scenario: SCENARIO,
    without: { kind: 'Role', resource: 'deployments' },
    check: (h) => {
      const check = findScenario(SCENARIO)?.recovered(h.sim.world);
      assert.equal(check?.ok, true, check?.detail);
    },
  },
  EXIT_CODES['missing-permission'],
);
