// The Postgres runbooks under exactly their generated Roles: all they ask of the cluster is the lock
// and a port-forward to the Postgres pod, which a run given --database-url neither uses nor asks
// for. A real PostgreSQL on loopback, also behind the simulated pod.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import {
  actUnder,
  printedRbac,
  refusedSince,
  ruleFor,
  runExpecting,
  withoutRoleRules,
  withoutRule,
} from '../helpers/exact-role.js';
import {
  SUPERUSER_PASSWORD,
  type TestPostgres,
  forwardPostgresPodsTo,
  startTestPostgres,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('the Postgres runbooks under exactly their generated Roles', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let site: pg.Client[] = [];
  before(async () => {
    h = await startSimHarness('healthy');
    db = await startTestPostgres();
    site = await db.openClients(3, 'site');
    await forwardPostgresPodsTo(h.sim.url, db);
  });
  after(async () => {
    await Promise.allSettled(site.map((c) => c.end()));
    await db.stop();
    await h.stop();
  });

  const backup = (): string[] => [
    'postgres-backup',
    '--database-url',
    db.superuserUrl,
    '--directory',
    mkdtempSync(join(tmpdir(), 'under-role-backup-')),
  ];

  it('postgres-backup without its leases rule: refused at the preflight, no lock taken', async () => {
    const rbac = await printedRbac(['postgres-backup'], 'backup-without');
    const [index] = ruleFor(rbac, 'Role', 'leases');
    actUnder(h, withoutRule(rbac, 'Role', index), 'backup-without');
    const result = await runExpecting(h, [...backup(), '--yes'], EXIT_CODES['missing-permission']);
    assert.match(result.stderr, /resources \["leases"\]/);
    assert.deepEqual(h.locks(), []);
  });

  for (const [id, args] of [
    ['postgres-backup', () => backup()],
    [
      'postgres-connections',
      () => ['postgres-connections', '--database-url', db.superuserUrl, '--application', 'site'],
    ],
  ] as const)
    it(`${id} with exactly its Role: the dry run, then the run, succeed`, async () => {
      const name = `${id}-exact`;
      actUnder(h, await printedRbac([id], name), name);
      await runExpecting(h, [...args(), '--dry-run'], 0);
      const from = h.sim.requests.length;
      const locksBefore = h.locks().length;
      await runExpecting(h, [...args(), '--yes'], 0);
      assert.deepEqual(refusedSince(h, from), []);
      assert.ok(h.locks().length > locksBefore, 'the run held the lock');
    });

  const PORT_FORWARD_RULES = ['deployments', 'pods', 'pods/portforward'];
  const throughPod = ['postgres-connections', '--application', 'site'];
  const password = { PGPASSWORD: SUPERUSER_PASSWORD };

  it('postgres-connections with --database-url does not ask for the port-forward it does not use', async () => {
    const name = 'connections-url-only';
    actUnder(
      h,
      withoutRoleRules(await printedRbac(['postgres-connections'], name), PORT_FORWARD_RULES),
      name,
    );
    const from = h.sim.requests.length;
    await runExpecting(
      h,
      ['postgres-connections', '--database-url', db.superuserUrl, '--application', 'site', '--yes'],
      0,
    );
    assert.deepEqual(refusedSince(h, from), []);
  });

  it('through the port-forward, without its pods/portforward rule: refused at the preflight, naming it', async () => {
    const rbac = await printedRbac(['postgres-connections'], 'connections-no-forward');
    const [index] = ruleFor(rbac, 'Role', 'pods/portforward');
    actUnder(h, withoutRule(rbac, 'Role', index), 'connections-no-forward');
    const locksBefore = h.locks().length;
    const result = await runExpecting(
      h,
      [...throughPod, '--yes'],
      EXIT_CODES['missing-permission'],
      password,
    );
    assert.match(result.stderr, /resources \["pods\/portforward"\]/);
    assert.equal(h.locks().length, locksBefore, 'no lock taken');
  });

  it('through the port-forward with exactly its Role: the dry run, then the run, succeed', async () => {
    const name = 'connections-forward-exact';
    actUnder(h, await printedRbac(['postgres-connections'], name), name);
    await runExpecting(h, [...throughPod, '--dry-run'], 0, password);
    const from = h.sim.requests.length;
    const result = await runExpecting(h, [...throughPod, '--yes'], 0, password);
    assert.match(result.stdout, /via port-forward to/);
    assert.deepEqual(refusedSince(h, from), []);
  });
});
