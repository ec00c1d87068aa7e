// postgres-major-upgrade under exactly what `runbook rbac postgres-major-upgrade` prints: the dump
// through a port-forward to the old server's pod, the restore through one to the new pod, the new
// volume, claim and deployment. Two real PostgreSQL 15 servers (as in test/runbooks/postgres-major-
// upgrade.test.ts): the old one behind the pods on the old claim, an empty one behind the new claim.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import {
  actUnder,
  printedRbac,
  refusedSince,
  ruleFor,
  runExpecting,
  withoutRule,
} from '../helpers/exact-role.js';
import {
  SUPERUSER_PASSWORD,
  type TestPostgres,
  forwardPostgresPodsTo,
  startTestPostgres,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const RUNBOOK = 'postgres-major-upgrade';
const NEW_CLAIM = 'postgres-storage-pg15';
const password = { PGPASSWORD: SUPERUSER_PASSWORD };

interface DeploymentShape {
  spec: {
    template: {
      spec: {
        containers: Array<{ image: string }>;
        volumes: Array<{ persistentVolumeClaim?: { claimName: string } }>;
      };
    };
  };
}

async function rowsIn(db: TestPostgres): Promise<string | undefined> {
  const url = new URL(db.superuserUrl);
  url.pathname = '/appdb';
  const client = new pg.Client({ connectionString: url.href });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from members');
    return rows[0]?.n;
  } finally {
    await client.end();
  }
}

describe(`${RUNBOOK} under exactly what \`runbook rbac ${RUNBOOK}\` prints`, () => {
  let h: SimHarness;
  let old: TestPostgres;
  let fresh: TestPostgres;
  let dir: string;
  const args = (): string[] => [
    RUNBOOK,
    '--image',
    'postgres:15',
    '--databases',
    'appdb',
    '--directory',
    dir,
  ];

  before(async () => {
    old = await startTestPostgres();
    const [seed] = await old.openClients(1, 'seed');
    await seed?.query('create table members (id int primary key, name text)');
    await seed?.query("insert into members select g, 'm' || g from generate_series(1, 75) g");
    fresh = await startTestPostgres();
    // A fresh server, as a new image starts: no application role or database yet.
    const admin = await fresh.admin();
    await admin.query('drop database appdb');
    await admin.query('drop role app');
    h = await startSimHarness('healthy');
    await forwardPostgresPodsTo(h.sim.url, old);
    const behindNewClaim = await fetch(`${h.sim.url}/_sim/portforward`, {
      method: 'POST',
      body: JSON.stringify({
        namespace: 'default',
        labels: {},
        claim: NEW_CLAIM,
        port: 5432,
        host: fresh.host,
        targetPort: fresh.port,
      }),
    });
    assert.equal(behindNewClaim.status, 201);
    dir = mkdtempSync(join(tmpdir(), 'under-role-upgrade-'));
  });
  after(async () => {
    await h.stop();
    await old.stop();
    await fresh.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [kind, resource] of [
    ['Role', 'pods/portforward'],
    ['ClusterRole', 'persistentvolumes'],
  ] as const)
    it(`without its ${kind} rule for ${resource}: refused at the preflight, naming it; nothing sent`, async () => {
      const name = `upgrade-without-${resource.replace('/', '-')}`;
      const rbac = await printedRbac([RUNBOOK], name);
      const [index, rule] = ruleFor(rbac, kind, resource);
      actUnder(h, withoutRule(rbac, kind, index), name);
      const result = await runExpecting(h, [...args(), '--yes'], EXIT_CODES['missing-permission'], password);
      const where = kind === 'Role' ? 'Role in namespace default' : 'ClusterRole';
      assert.ok(
        result.stderr.includes(
          `(${where}: apiGroups ["${rule.apiGroups[0] ?? ''}"], resources ["${resource}"]`,
        ),
        result.stderr,
      );
      assert.match(result.stderr, new RegExp(`runbook rbac ${RUNBOOK}`));
      assert.deepEqual(h.mutations(), []);
      assert.deepEqual(h.locks(), []);
    });

  it('with exactly its Role and scopes: the dry run, then the run, succeed', async () => {
    const name = 'upgrade-exact';
    actUnder(h, await printedRbac([RUNBOOK], name), name);
    const dry = await runExpecting(h, [...args(), '--dry-run'], 0, password);
    assert.doesNotMatch(dry.stderr, /would be refused/);
    assert.deepEqual(h.mutations(), []);
    const from = h.sim.requests.length;
    const run = await runExpecting(h, [...args(), '--yes'], 0, password);
    assert.ok(!(run.stdout + run.stderr).includes(SUPERUSER_PASSWORD));
    assert.deepEqual(refusedSince(h, from), []);
    const postgres = h.get<DeploymentShape>('apps/v1', 'Deployment', 'default', 'postgres');
    assert.equal(
      postgres?.spec.template.spec.volumes.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim
        ?.claimName,
      NEW_CLAIM,
    );
    assert.equal(postgres?.spec.template.spec.containers[0]?.image, 'postgres:15');
    assert.equal(await rowsIn(fresh), '75');
  });
});
