// The Postgres primitives a major-version upgrade is made of, against two real servers: a backup with
// the roles, its restore into a fresh server proven by the row counts of every table (and a planted
// difference named), a dry run that sends the target no write, and the wait for a server's version.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { RunbookError } from '../../../src/engine/errors.js';
import { executeAction } from '../../../src/engine/executor.js';
import type { Readers, Writers } from '../../../src/engine/ports.js';
import {
  backupDatabases,
  describeAction,
  describeWait,
  restoreBackup,
  restoreMatches,
  serverVersion,
} from '../../../src/engine/vocabulary/index.js';
import { alwaysYes } from '../../../src/engine/confirm.js';
import type { JournalEvent } from '../../../src/engine/journal-events.js';
import { RunbookRun } from '../../../src/engine/run.js';
import { type AnyRunbook, type Facts, defineRunbook } from '../../../src/engine/runbook.js';
import { needPostgres } from '../../../runbooks/postgres-connections/need-postgres.js';
import { runWait } from '../../../src/engine/wait-runner.js';
import { connectKube, createKubeReader, createKubeWriter } from '../../../src/providers/kubernetes/index.js';
import {
  connectLinode,
  createLinodeReader,
  createLinodeWriter,
} from '../../../src/providers/linode/index.js';
import { createPostgresConnection, type PostgresConnection } from '../../../src/providers/postgres/index.js';
import { createSimClock } from '../../../src/sim/clock.js';
import { simWaitClock } from '../../../src/sim/wait-clock.js';
import {
  APP_PASSWORD,
  SUPERUSER_PASSWORD,
  type TestPostgres,
  forwardPostgresPodsTo,
  pgTestEnv,
  recordOutput,
  startTestPostgres,
} from '../../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../../helpers/sim.js';

const REPORTER_PASSWORD = 'Rep0rter-secret-planted-77aa';
const STAMP = '20261203T030000Z';

/** The target's URL as a restore names it: no password (it comes from PGPASSWORD's stand-in). */
const bare = (server: TestPostgres): string => `postgres://postgres@${server.host}:${server.port}/postgres`;

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

const onDatabase = (server: TestPostgres, database: string): string =>
  server.superuserUrl.replace(/\/postgres$/, `/${database}`);

describe('postgres backup with the roles, restore into another server, verify, and the version wait', () => {
  let source: TestPostgres;
  let target: TestPostgres;
  let h: SimHarness;
  let conn: PostgresConnection;
  let read: Readers;
  let write: Writers;
  let dir: string;

  before(async () => {
    [source, target] = await Promise.all([startTestPostgres(), startTestPostgres()]);
    const admin = await source.admin();
    await admin.query(`create role reporter login password '${REPORTER_PASSWORD}'`);
    await admin.query('create database shop owner app');
    await query(
      onDatabase(source, 'appdb'),
      `create table members (id int primary key, name text);
       insert into members select g, 'm' || g from generate_series(1, 200) g;
       alter table members owner to app;`,
    );
    await query(
      onDatabase(source, 'shop'),
      `create schema sales;
       create table sales.orders (id int primary key, total numeric);
       insert into sales.orders select g, g * 1.5 from generate_series(1, 75) g;
       create table "Odd Name" (id int);
       insert into "Odd Name" values (1), (2), (3);
       grant usage on schema sales to reporter;
       grant select on sales.orders to reporter;`,
    );
    // The helper gives every server the role app and its appdb: the target is made fresh again.
    const fresh = await target.admin();
    await fresh.query('drop database appdb');
    await fresh.query('drop role app');
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    const env = h.env();
    const kube = await connectKube({ kubeconfig: h.kubeconfig, env });
    const linode = await connectLinode({ env });
    conn = createPostgresConnection({ env: pgTestEnv(), databaseUrl: source.superuserUrl, kube });
    read = { kube: createKubeReader(kube), linode: createLinodeReader(linode), postgres: conn.read };
    write = { kube: createKubeWriter(kube), linode: createLinodeWriter(linode), postgres: conn.write };
    dir = mkdtempSync(join(tmpdir(), 'runbook-restore-'));
    await executeAction(
      backupDatabases(conn.identity().url, {
        databases: ['appdb', 'shop'],
        directory: dir,
        stamp: STAMP,
        verify: 'list',
        globals: true,
      }),
      write,
    );
  });
  after(async () => {
    await conn.close();
    await h.stop();
    await Promise.all([source.stop(), target.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const restoreInto = (server: TestPostgres): ReturnType<typeof restoreBackup> =>
    restoreBackup(conn.identity().url, {
      target: bare(server),
      directory: dir,
      stamp: STAMP,
      databases: ['appdb', 'shop'],
      globals: true,
    });

  it('a dry run of the restore checks the target and sends it no write', async () => {
    const before = await query<{ n: string }>(
      target.superuserUrl,
      'select count(*)::text as n from pg_roles',
    );
    await executeAction(restoreInto(target), write, { dryRun: true });
    const databases = await query<{ datname: string }>(
      target.superuserUrl,
      "select datname from pg_database where datname in ('appdb', 'shop')",
    );
    assert.deepEqual(databases, []);
    const roles = await query<{ n: string }>(target.superuserUrl, 'select count(*)::text as n from pg_roles');
    assert.deepEqual(roles, before);
    const reporter = await query(target.superuserUrl, "select 1 from pg_roles where rolname = 'reporter'");
    assert.equal(reporter.length, 0);
  });

  /** A team's step: restore into the target, then verify by the row counts. */
  const restoreRunbook = (server: TestPostgres): AnyRunbook =>
    defineRunbook<Record<string, never>, Facts>({
      id: 'restore-into-new-server',
      title: 'Restore the backup into the new server',
      summary: 'The middle of a major-version upgrade.',
      postmortems: [],
      defaultScenario: '2020-12-11-postgres-conn-surge',
      mutating: true,
      needs: { postgres: 'required', cluster: 'for-port-forward-and-lock' },
      params: {},
      steps: [
        {
          id: 'restore',
          title: 'Restore the roles and the databases, then compare the row counts',
          explain: 'psql for the roles, pg_restore --create for each database, count(*) of every table.',
          plan: () => Promise.resolve({ actions: [restoreInto(server)], notes: [], facts: {} }),
          verify: ({ read: r }) => restoreMatches(needPostgres(r), bare(server), ['appdb', 'shop']),
        },
      ],
    });

  it('restores the roles and both databases into a fresh server, journaled, verified by the row counts', async () => {
    const journal: JournalEvent[] = [];
    const run = new RunbookRun({
      runbook: restoreRunbook(target),
      params: {},
      read,
      write,
      confirmer: alwaysYes,
      signal: new AbortController().signal,
      recorder: { record: (event) => journal.push(event) },
    });
    const { lines, out } = recordOutput();
    const [step] = run.steps;
    assert.ok(step !== undefined);
    assert.equal((await run.runStep(step, out)).status, 'done');
    const screen = lines.join('\n');
    assert.match(
      screen,
      /restore the roles and appdb, shop from .* into postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/,
    );
    assert.match(
      screen,
      /✓ 3 tables of appdb, shop, 278 rows: the same counts on postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres/,
    );
    const planned = journal.find((e) => e.type === 'plan');
    assert.equal(planned?.type === 'plan' ? planned.actions[0]?.kind : undefined, 'postgres.restore');
    const written = JSON.stringify(journal) + screen;
    for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD, REPORTER_PASSWORD])
      assert.ok(!written.includes(secret));
    assert.doesNotMatch(written, /SCRAM-SHA-256/);
    // The roles came with their passwords: reporter logs in to the new server with its old one.
    const reporterUrl = `postgres://reporter:${REPORTER_PASSWORD}@${target.host}:${target.port}/shop`;
    const orders = await query<{ n: string }>(reporterUrl, 'select count(*)::text as n from sales.orders');
    assert.deepEqual(orders, [{ n: '75' }]);
    const owner = await query<{ owner: string }>(
      target.superuserUrl,
      "select pg_get_userbyid(datdba) as owner from pg_database where datname = 'shop'",
    );
    assert.deepEqual(owner, [{ owner: 'app' }]);
    await query(`postgres://app:${APP_PASSWORD}@${target.host}:${target.port}/appdb`, 'select 1');
  });

  it('a restore into a server that already holds the databases is refused before anything is sent', async () => {
    await assert.rejects(
      executeAction(restoreInto(target), write),
      (e: unknown) =>
        e instanceof RunbookError &&
        e.code === 'precondition' &&
        /already has appdb, shop: a restore never writes over a database/.test(e.message),
    );
  });

  it('a row missing on the target fails the verify, naming the table and both counts', async () => {
    await query(onDatabase(target, 'shop'), 'delete from sales.orders where id = 7');
    const comparison = await conn.read.compareTables(bare(target), ['appdb', 'shop']);
    assert.deepEqual(comparison.mismatches, [
      { database: 'shop', table: 'sales.orders', source: 75, target: 74 },
    ]);
    assert.deepEqual(await restoreMatches(conn.read, bare(target), ['appdb', 'shop']), {
      ok: false,
      detail: 'shop.sales.orders: 75 rows in the source, 74 in the target',
    });
  });

  it('no password of the source, the target or a role is in a message or a description', () => {
    const seen = JSON.stringify([describeAction(restoreInto(target)), restoreInto(target)]);
    for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD, REPORTER_PASSWORD]) {
      assert.ok(!seen.includes(secret));
    }
  });

  it('restores into the Postgres pod of a deployment through a port-forward, and compares through one', async () => {
    const pod = await startTestPostgres();
    try {
      const fresh = await pod.admin();
      await fresh.query('drop database appdb');
      await fresh.query('drop role app');
      // The simulator's pods of app=postgres forward to this real server, as kubectl's would.
      await forwardPostgresPodsTo(h.sim.url, pod);
      const into = { namespace: 'default', deployment: 'postgres' };
      const action = restoreBackup(conn.identity().url, {
        target: into,
        directory: dir,
        stamp: STAMP,
        databases: ['shop'],
        globals: true,
      });
      const d = describeAction(action);
      assert.match(d.title, /into the Postgres pod of deployment default\/postgres$/);
      assert.match(d.equivalent, /^kubectl -n default port-forward deploy\/postgres 5432 & psql /);
      await executeAction(action, write);
      assert.deepEqual(await conn.read.compareTables(into, ['shop']), {
        tables: 2,
        rows: 78,
        mismatches: [],
      });
      const orders = await query<{ n: string }>(
        onDatabase(pod, 'shop'),
        'select count(*)::text as n from sales.orders',
      );
      assert.deepEqual(orders, [{ n: '75' }]);
    } finally {
      await pod.stop();
    }
  });

  it('refuses a target URL that carries its password, which every plan and journal would show', () => {
    assert.throws(
      () =>
        restoreBackup(conn.identity().url, {
          target: target.superuserUrl,
          directory: dir,
          stamp: STAMP,
          databases: ['shop'],
          globals: false,
        }),
      (e: unknown) =>
        e instanceof RunbookError &&
        e.code === 'invalid-parameter' &&
        /RUNBOOK_TARGET_PGPASSWORD/.test(e.next ?? '') &&
        !e.message.includes(SUPERUSER_PASSWORD),
    );
  });

  it('waits until the server reports version 15: met at once, with the version it reports', async () => {
    const wait = serverVersion({ server: conn.identity().url, major: 15, timeoutMs: 60_000 });
    assert.match(
      describeWait(wait),
      /^wait until postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres reports version 15 \(at most 60s\)$/,
    );
    const outcome = await runWait(wait, read, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    assert.equal(outcome.status, 'met');
    assert.match(outcome.detail, /^server reports 15\.\d+/);
  });

  it('waiting for 16 on a 15 server says so, and gives up at its bound on the wait clock', async () => {
    // 120 simulated seconds in 0.6 s: each look at the server (a query, real milliseconds) fits in it.
    const sim = createSimClock({ speed: 200 });
    const progress: string[] = [];
    try {
      const wait = serverVersion({ server: conn.identity().url, major: 16, timeoutMs: 120_000 });
      await assert.rejects(
        runWait(wait, read, {
          signal: new AbortController().signal,
          onProgress: (why) => progress.push(why),
          clock: simWaitClock(sim),
        }),
        (e: unknown) =>
          e instanceof RunbookError &&
          e.code === 'wait-timeout' &&
          /^Gave up after 120s: server reports 15\.\d+, waiting for 16$/.test(e.message),
      );
      assert.match(progress[0] ?? '', /^server reports 15\.\d+, waiting for 16$/);
    } finally {
      sim.stop();
    }
  });
});
