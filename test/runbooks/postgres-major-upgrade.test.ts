// postgres-major-upgrade end to end with the built CLI: Kubernetes and Linode on the simulator, and
// two real PostgreSQL servers behind the Postgres pods: the old one behind the pods on the old claim,
// an empty one behind the pods that mount the new claim (a database lives on its volume). The
// machine's Debian sources offer only PostgreSQL 15, so the upgrade is played 15 -> 15 (`--image
// postgres:15`): what it stands in for is the dump, the restore with its row counts, the switch of
// volume and image, and the version wait; a real 16 would only change the server behind the new claim.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { runCli } from '../helpers/cli.js';
import {
  SUPERUSER_PASSWORD,
  type TestPostgres,
  forwardPostgresPodsTo,
  startTestPostgres,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const NEW_CLAIM = 'postgres-storage-pg15';

interface DeploymentShape {
  spec: {
    replicas: number;
    template: {
      spec: {
        containers: Array<{ name: string; image: string }>;
        volumes: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
      };
    };
  };
}

async function behindNewClaim(h: SimHarness, db: TestPostgres, claim: string): Promise<void> {
  const response = await fetch(`${h.sim.url}/_sim/portforward`, {
    method: 'POST',
    body: JSON.stringify({
      namespace: 'default',
      labels: {},
      claim,
      port: 5432,
      host: db.host,
      targetPort: db.port,
    }),
  });
  assert.equal(response.status, 201);
}

/** A fresh server, as a new image starts: no application role or database yet. */
async function emptied(db: TestPostgres): Promise<void> {
  const admin = await db.admin();
  await admin.query('drop database appdb');
  await admin.query('drop role app');
}

const claimOf = (h: SimHarness): string | undefined =>
  h
    .get<DeploymentShape>('apps/v1', 'Deployment', 'default', 'postgres')
    ?.spec.template.spec.volumes.find((v) => v.persistentVolumeClaim !== undefined)?.persistentVolumeClaim
    ?.claimName;
const imageOf = (h: SimHarness): string | undefined =>
  h.get<DeploymentShape>('apps/v1', 'Deployment', 'default', 'postgres')?.spec.template.spec.containers[0]
    ?.image;

interface World {
  h: SimHarness;
  old: TestPostgres;
  fresh: TestPostgres;
  dir: string;
}

/** Per suite: the healthy cluster, the old server behind app=postgres, an empty one behind `newClaim`. */
function useWorld(newClaim: string): World {
  const w = {} as World;
  before(async () => {
    w.old = await startTestPostgres();
    const [seed] = await w.old.openClients(1, 'seed');
    await seed?.query('create table members (id int primary key, name text)');
    await seed?.query("insert into members select g, 'm' || g from generate_series(1, 75) g");
    w.fresh = await startTestPostgres();
    await emptied(w.fresh);
    w.h = await startSimHarness('healthy');
    await forwardPostgresPodsTo(w.h.sim.url, w.old);
    await behindNewClaim(w.h, w.fresh, newClaim);
    w.dir = mkdtempSync(join(tmpdir(), 'runbook-upgrade-'));
  });
  after(async () => {
    await w.h.stop();
    await w.old.stop();
    await w.fresh.stop();
    rmSync(w.dir, { recursive: true, force: true });
  });
  return w;
}

const upgrade = (w: World, mode: '--dry-run' | '--yes', image: string, ...more: string[]) =>
  runCli(
    ['postgres-major-upgrade', mode, '--image', image, '--databases', 'appdb', '--directory', w.dir, ...more],
    { env: w.h.env({ PGPASSWORD: SUPERUSER_PASSWORD }) },
  );

describe('postgres-major-upgrade, 15 -> 15 standing in for a new major version', () => {
  const w = useWorld(NEW_CLAIM);

  it('--dry-run plans the whole upgrade and changes nothing', async () => {
    const result = await upgrade(w, '--dry-run', 'postgres:15');
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(w.h.mutations(), []);
    assert.deepEqual(readdirSync(w.dir), [], 'no backup written');
    assert.match(result.stdout, /the server is already 15: a dump and restore onto a fresh volume/);
    assert.match(result.stdout, /pg_dumpall --globals-only/);
    assert.match(result.stdout, /wait until .* reports version 15/);
    assert.equal(claimOf(w.h), 'postgres-storage');
  });

  it('--yes restores onto the new volume, row counts equal, and switches Postgres to it; the old volume stays', async () => {
    const result = await upgrade(w, '--yes', 'postgres:15');
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.ok(!(result.stdout + result.stderr).includes(SUPERUSER_PASSWORD));
    assert.match(
      result.stdout,
      /✓ 1 table of appdb, 75 rows: the same counts on the Postgres pod of deployment default\/postgres-pg15/,
    );
    assert.equal(claimOf(w.h), NEW_CLAIM);
    assert.equal(imageOf(w.h), 'postgres:15');
    assert.equal(
      w.h.get('apps/v1', 'Deployment', 'default', 'postgres-pg15'),
      undefined,
      'side deployment removed',
    );
    const restored = await connectTo(w.fresh, 'appdb');
    const { rows } = await restored.query<{ n: string }>('select count(*) as n from members');
    await restored.end();
    assert.equal(rows[0]?.n, '75');
    assert.notEqual(
      w.h.get('v1', 'PersistentVolumeClaim', 'default', 'postgres-storage'),
      undefined,
      'old claim kept',
    );
    assert.match(result.stdout, /kept: claim postgres-storage/);
  });
});

describe('postgres-major-upgrade when the new image does not report its version', () => {
  // The empty server stands behind the claim a postgres:16 run makes.
  const w = useWorld('postgres-storage-pg16');

  it('the version wait fails at its bound, and the undo points Postgres at the old volume again', async () => {
    // postgres:16 on a server that is 15: the version never comes up, as with a wrong image.
    const result = await upgrade(w, '--yes', 'postgres:16', '--timeout', '10');
    assert.notEqual(result.exitCode, 0, result.stdout);
    assert.match(result.stdout, /reports 15\.\d+, waiting for 16/);
    assert.match(result.stdout, /wait until \S+ reports version 16 \(at most 10s\)/);
    assert.match(result.stdout, /Undo: Point Postgres at the new claim and the new image/);
    assert.equal(claimOf(w.h), 'postgres-storage', 'back on the old claim');
    assert.equal(imageOf(w.h), 'postgres:13-alpine', 'back on the old image');
    const kept = w.h.get('v1', 'PersistentVolumeClaim', 'default', 'postgres-storage-pg16');
    assert.notEqual(kept, undefined, 'the new claim is kept');
    // The old server answers again through the deployment.
    const again = await runCli(['postgres-connections'], {
      env: w.h.env({ PGPASSWORD: SUPERUSER_PASSWORD }),
    });
    assert.equal(again.exitCode, 0, again.stderr + again.stdout);
  });
});

async function connectTo(db: TestPostgres, database: string): Promise<pg.Client> {
  const { default: pgModule } = await import('pg');
  const url = new URL(db.superuserUrl);
  url.pathname = `/${database}`;
  const client = new pgModule.Client({ connectionString: url.href });
  await client.connect();
  return client;
}
