// The Postgres runbooks under exactly their generated Roles: all they ask of the cluster is the lock
// (and a port-forward, not used with --database-url). A real PostgreSQL on loopback.
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
  withoutRule,
} from '../helpers/exact-role.js';
import { type TestPostgres, startTestPostgres } from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('the Postgres runbooks under exactly their generated Roles', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let site: pg.Client[] = [];
  before(async () => {
    h = await startSimHarness('healthy');
    db = await startTestPostgres();
    site = await db.openClients(3, 'site');
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
});
