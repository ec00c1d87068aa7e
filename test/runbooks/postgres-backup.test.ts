// postgres-backup, and the backup step of postgres-remount, in-process through RunbookRun: Kubernetes
// and Linode on the simulator, Postgres a real server (or none: the simulator's pod has no database).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { alwaysYes, type Confirmer } from '../../src/engine/confirm.js';
import { RunbookError } from '../../src/engine/errors.js';
import { resolveParams } from '../../src/engine/params.js';
import type { Readers, Writers } from '../../src/engine/ports.js';
import { RunbookRun } from '../../src/engine/run.js';
import type { AnyRunbook } from '../../src/engine/runbook.js';
import { connectKube, createKubeReader, createKubeWriter } from '../../src/providers/kubernetes/index.js';
import { connectLinode, createLinodeReader, createLinodeWriter } from '../../src/providers/linode/index.js';
import { createPostgresConnection, type PostgresConnection } from '../../src/providers/postgres/index.js';
import { postgresBackup } from '../../runbooks/postgres-backup.js';
import { postgresRemount } from '../../runbooks/postgres-remount.js';
import {
  SUPERUSER_PASSWORD,
  type TestPostgres,
  freePort,
  pgTestEnv,
  recordOutput,
  startTestPostgres,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('postgres-backup and the backup step of postgres-remount', () => {
  let server: TestPostgres;
  let h: SimHarness;
  let pgConn: PostgresConnection;
  let base: { read: Readers; write: Writers };
  let out: string;

  before(async () => {
    server = await startTestPostgres();
    const [seed] = await server.openClients(1, 'seed');
    await seed?.query('create table members (id int primary key, name text)');
    await seed?.query("insert into members select g, 'm' || g from generate_series(1, 200) g");
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    const env = h.env();
    const kube = await connectKube({ kubeconfig: h.kubeconfig, env });
    const linode = await connectLinode({ env });
    pgConn = createPostgresConnection({ env: pgTestEnv(), databaseUrl: server.superuserUrl });
    base = {
      read: { kube: createKubeReader(kube), linode: createLinodeReader(linode) },
      write: { kube: createKubeWriter(kube), linode: createLinodeWriter(linode) },
    };
    out = mkdtempSync(join(tmpdir(), 'runbook-backup-run-'));
  });
  after(async () => {
    await pgConn.close();
    await h.stop();
    await server.stop();
    rmSync(out, { recursive: true, force: true });
  });

  function run(
    runbook: AnyRunbook,
    given: Record<string, string>,
    postgres: PostgresConnection | undefined,
    confirmer: Confirmer = alwaysYes,
  ): RunbookRun {
    return new RunbookRun({
      runbook,
      params: resolveParams(runbook.params, given),
      read: { ...base.read, ...(postgres === undefined ? {} : { postgres: postgres.read }) },
      write: { ...base.write, ...(postgres === undefined ? {} : { postgres: postgres.write }) },
      confirmer,
      signal: new AbortController().signal,
    });
  }

  async function runAll(r: RunbookRun, confirmer?: Confirmer): Promise<string> {
    const { lines, out: output } = recordOutput();
    for (const step of r.steps) await r.runStep(step, output, confirmer);
    return lines.join('\n');
  }

  it('postgres-backup dumps every database, checksums and verifies, and says where', async () => {
    const dir = mkdtempSync(join(out, 'all-'));
    const screen = await runAll(run(postgresBackup, { directory: dir }, pgConn));
    assert.match(
      screen,
      /2 databases on postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres: appdb, postgres/,
    );
    assert.match(screen, / && pg_dump --format=custom --file=.*appdb-\d{8}T\d{6}Z\.dump appdb/);
    assert.match(
      screen,
      /equivalent: pg_dumpall --globals-only --file=.*globals-\d{8}T\d{6}Z\.sql && pg_dump/,
    );
    assert.match(screen, /✓ the roles and 2 dumps verified, each matching the sha256 beside it/);
    const files = readdirSync(dir).sort();
    assert.equal(files.length, 6);
    assert.ok(
      files.every((f) => /^(appdb|postgres|globals)-\d{8}T\d{6}Z\.(dump|sql)(\.sha256)?$/.test(f)),
      files.join(' '),
    );
    const globals = files.find((f) => f.endsWith('.sql'));
    assert.ok(globals !== undefined);
    // The roles with their password hashes: private like the dumps, and never on the screen.
    assert.equal(statSync(join(dir, globals)).mode & 0o777, 0o600);
    const text = readFileSync(join(dir, globals), 'utf8');
    assert.match(text, /CREATE ROLE app;/);
    assert.match(text, /ALTER ROLE app WITH .*PASSWORD 'SCRAM-SHA-256/);
    assert.doesNotMatch(screen, /SCRAM-SHA-256|CREATE ROLE/);
    assert.ok(!screen.includes(SUPERUSER_PASSWORD));
  });

  it('postgres-backup --globals skip takes the databases only', async () => {
    const dir = mkdtempSync(join(out, 'noglobals-'));
    const screen = await runAll(run(postgresBackup, { directory: dir, globals: 'skip' }, pgConn));
    assert.match(screen, /✓ 2 dumps verified/);
    assert.equal(readdirSync(dir).filter((f) => f.startsWith('globals-')).length, 0);
  });

  it('postgres-backup refuses the globals to a role that is not a superuser, before writing anything', async () => {
    const dir = mkdtempSync(join(out, 'app-'));
    const appConn = createPostgresConnection({ env: pgTestEnv(), databaseUrl: server.appUrl });
    try {
      await assert.rejects(
        runAll(run(postgresBackup, { directory: dir, databases: 'appdb' }, appConn)),
        (e: unknown) =>
          e instanceof RunbookError && e.code === 'backup-failed' && /--globals skip/.test(e.next ?? ''),
      );
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await appConn.close();
    }
  });

  it('postgres-backup --databases and --verify restore', async () => {
    const dir = mkdtempSync(join(out, 'restore-'));
    const r = run(postgresBackup, { directory: dir, databases: 'appdb', verify: 'restore' }, pgConn);
    const screen = await runAll(r);
    assert.match(screen, /verified by a restore into a scratch database/);
    assert.deepEqual(
      r.results.map((x) => x.status),
      ['done'],
    );
    // The roles too, by default: the globals file and its .sha256 beside the dump's.
    assert.equal(readdirSync(dir).length, 4);
  });

  it('postgres-backup refuses a database that does not exist, and an unwritable --directory before anything runs', async () => {
    const r = run(postgresBackup, { directory: out, databases: 'nosuchdb' }, pgConn);
    await assert.rejects(
      runAll(r),
      (e: unknown) =>
        e instanceof RunbookError && e.code === 'precondition' && /no database nosuchdb/.test(e.message),
    );
    assert.throws(
      () => resolveParams(postgresBackup.params, { directory: join(out, 'missing') }),
      (e: unknown) =>
        e instanceof RunbookError &&
        e.code === 'invalid-parameter' &&
        /is not a writable directory/.test(e.message),
    );
  });

  it('postgres-remount offers the backup first, takes it on yes, then remounts', async () => {
    const dir = mkdtempSync(join(out, 'remount-'));
    const r = run(postgresRemount, { backupDirectory: dir }, pgConn);
    const screen = await runAll(r);
    assert.deepEqual(r.results.map((x) => `${x.stepId}:${x.status}`).slice(0, 3), [
      'locate:nothing-to-do',
      'backup:done',
      'take-down:done',
    ]);
    assert.match(screen, /back up appdb, postgres from postgres:\/\/postgres:\*\*\*@/);
    assert.match(screen, /✓ 2 dumps verified/);
    assert.equal(readdirSync(dir).length, 4);
    assert.equal(r.results.at(-1)?.status, 'nothing-to-do');
  });

  it('postgres-remount: answered skip, no backup, and the run goes on', async () => {
    const dir = mkdtempSync(join(out, 'skip-'));
    const r = run(postgresRemount, { backupDirectory: dir }, pgConn);
    const skipBackup: Confirmer = {
      ask: (q) => Promise.resolve(q.stepTitle.startsWith('Offer a verified backup') ? 'skip' : 'yes'),
      typeToConfirm: () => Promise.resolve(true),
    };
    const { out: output } = recordOutput();
    const [locate, backup] = r.steps;
    assert.ok(locate !== undefined && backup !== undefined);
    await r.runStep(locate, output, skipBackup);
    assert.equal((await r.runStep(backup, output, skipBackup)).status, 'skipped');
    assert.deepEqual(readdirSync(dir), []);
  });

  it('postgres-remount with no database behind the pod (the simulator): says so and goes on', async () => {
    const r = run(postgresRemount, {}, undefined);
    const { lines, out: output } = recordOutput();
    const [locate, backup] = r.steps;
    assert.ok(locate !== undefined && backup !== undefined);
    await r.runStep(locate, output);
    const result = await r.runStep(backup, output);
    assert.equal(result.status, 'nothing-to-do');
    assert.match(
      lines.join('\n'),
      /NO BACKUP: cannot reach Postgres to dump it\. this run has no connection to Postgres/,
    );
    assert.match(lines.join('\n'), /answer no at the next step, or run again with --backup require/);
    assert.match(lines.join('\n'), /✓ no backup was taken/);
  });

  it('postgres-remount with Postgres unreachable: the reason is shown; --backup require stops with exit 11', async () => {
    const port = await freePort();
    const down = createPostgresConnection({
      env: pgTestEnv(),
      databaseUrl: `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`,
    });
    try {
      const offer = run(postgresRemount, {}, down);
      const { lines, out: output } = recordOutput();
      const [locate, backup] = offer.steps;
      assert.ok(locate !== undefined && backup !== undefined);
      await offer.runStep(locate, output);
      await offer.runStep(backup, output);
      const screen = lines.join('\n');
      assert.match(
        screen,
        /NO BACKUP: cannot reach Postgres to dump it\. Cannot reach Postgres at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres .*ECONNREFUSED/,
      );
      assert.ok(!screen.includes(SUPERUSER_PASSWORD));

      const require = run(postgresRemount, { backup: 'require' }, down);
      await require.runStep(locate, recordOutput().out);
      await assert.rejects(
        require.runStep(backup, recordOutput().out),
        (e: unknown) => e instanceof RunbookError && e.code === 'database-unreachable',
      );
    } finally {
      await down.close();
    }
  });
});
