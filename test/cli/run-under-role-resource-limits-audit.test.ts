// resource-limits-audit --apply on the 2021-01-12 night under exactly its generated Role (the limits
// the team settled on, from that scenario's team repository).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { writeTeamRepository } from '../../src/sim/team-repository.js';
import { describeUnderExactRole } from '../helpers/exact-role.js';

const SCENARIO = '2021-01-12-site-cpu-ram-exhaustion';
const night = findScenario(SCENARIO);
assert.ok(night !== undefined);
const LIMITS = join(writeTeamRepository(night, mkdtempSync(join(tmpdir(), 'under-role-'))), 'limits.yaml');

describeUnderExactRole(
  {
    runbook: 'resource-limits-audit',
    scenario: SCENARIO,
    args: ['--apply', LIMITS],
    without: { kind: 'ClusterRole', resource: 'deployments' },
    check: (h) => {
      const check = night.recovered(h.sim.world);
      assert.equal(check?.ok, true, check?.detail);
    },
  },
  EXIT_CODES['missing-permission'],
);
