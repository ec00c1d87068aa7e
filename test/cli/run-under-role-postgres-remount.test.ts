// postgres-remount on the 2020-12-11 night under exactly what `runbook rbac postgres-remount` prints:
// the dry run and the run both succeed; without one rule, or with a token short of one scope, the run
// stops at the preflight naming it, and nothing reaches the cluster or Linode.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { actUnder, printedRbac, ruleFor, runExpecting, withoutRule } from '../helpers/exact-role.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const SCENARIO = '2020-12-11-postgres-conn-surge';
const RUN = ['postgres-remount', '--backup', 'skip'];

describe('postgres-remount under exactly its generated Role', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('without the pods delete rule: refused at the preflight, naming it; nothing sent', async () => {
    const rbac = await printedRbac(['postgres-remount'], 'remount-no-delete');
    const [index] = ruleFor(rbac, 'Role', 'pods');
    actUnder(h, withoutRule(rbac, 'Role', index), 'remount-no-delete');
    const result = await runExpecting(h, [...RUN, '--yes'], EXIT_CODES['missing-permission']);
    assert.match(
      result.stderr,
      /may not \w+ pods in namespace default \(Role in namespace default: apiGroups \[""\], resources \["pods"\]/,
    );
    assert.match(result.stderr, /runbook rbac postgres-remount/);
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.locks(), []);
  });

  it('with a token short of volumes:read_write: refused at the preflight, naming the scope', async () => {
    const rbac = await printedRbac(['postgres-remount'], 'remount-narrow-token');
    const narrow = {
      ...rbac,
      scopes: rbac.scopes.map((s) => s.replace('volumes:read_write', 'volumes:read_only')),
    };
    actUnder(h, narrow, 'remount-narrow-token');
    const result = await runExpecting(h, [...RUN, '--yes'], EXIT_CODES['missing-permission']);
    assert.match(result.stderr, /Linode token lacks the scope volumes:read_write/);
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.locks(), []);
  });

  it('the dry run warns of the refusal, and changes nothing', async () => {
    const result = await runExpecting(h, [...RUN, '--dry-run'], 0);
    assert.match(
      result.stderr,
      /real run would be refused before any change: its Linode token lacks the scope volumes:read_write/,
    );
    assert.deepEqual(h.mutations(), []);
  });

  it('with exactly its Role and scopes: the dry run, then the run, succeed', async () => {
    const rbac = await printedRbac(['postgres-remount'], 'remount-exact');
    actUnder(h, rbac, 'remount-exact');
    const dry = await runExpecting(h, [...RUN, '--dry-run'], 0);
    assert.doesNotMatch(dry.stderr, /would be refused/);
    assert.deepEqual(h.mutations(), []);
    const from = h.sim.requests.length;
    await runExpecting(h, [...RUN, '--yes'], 0);
    assert.ok(h.mutations().length > 0);
    // The dry run's twin leaves out what it may not list (Secrets, CRDs, RBAC): by design. The run is refused nothing.
    const refused = h.sim.requests.slice(from).filter((r) => r.status === 403 || r.status === 401);
    assert.deepEqual(
      refused.map((r) => `${r.method} ${r.path}`),
      [],
    );
    await settle(h.sim.world);
    const check = findScenario(SCENARIO)?.recovered(h.sim.world);
    assert.equal(check?.ok, true, check?.detail);
  });
});
