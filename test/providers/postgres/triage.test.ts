// The triage reads against a real PostgreSQL: a surge of named applications, idle-in-transaction
// sessions, a long transaction, a held lock with a queue behind it, a slow vacuum; and termination.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { createPostgresConnection, type PostgresConnection } from '../../../src/providers/postgres/index.js';
import { type TestPostgres, pgTestEnv, startTestPostgres, waitFor } from '../../helpers/postgres.js';

describe('Postgres triage on a real server in a surge', () => {
  let server: TestPostgres;
  let conn: PostgresConnection;
  let longTx: pg.Client | undefined;
  let holder: pg.Client | undefined;
  let waiter: pg.Client | undefined;
  let waiting: Promise<unknown>;

  before(async () => {
    server = await startTestPostgres({ maxConnections: 60 });
    const admin = await server.admin();
    await admin.query('create table if not exists public.marker (id int)');
    const appAdmin = await server.openClients(1, 'test-schema');
    await appAdmin[0]?.query('create table orders (id serial primary key, note text)');
    await appAdmin[0]?.query('insert into orders (note) select md5(g::text) from generate_series(1, 100) g');
    await server.openClients(24, 'site');
    await server.openClients(5, 'bot', 'begin; select 1');
    [longTx] = await server.openClients(1, 'metricity', 'begin; select txid_current()');
    [holder] = await server.openClients(1, 'migrations', 'begin; lock table orders in access exclusive mode');
    [waiter] = await server.openClients(1, 'site-worker');
    waiting = waiter!.query('select count(*) from orders').catch(() => undefined);
    conn = createPostgresConnection({
      env: pgTestEnv(),
      databaseUrl: server.superuserUrl.replace(/\/postgres$/, '/appdb'),
    });
  });
  after(async () => {
    await conn.close();
    await server.stop();
    await waiting;
  });

  it('counts connections against max_connections by application, client and state', async () => {
    const report = await conn.read.connections();
    assert.equal(report.maxConnections, 60);
    assert.equal(report.superuserReserved, 3);
    const group = (application: string, state: string) =>
      report.groups.find((g) => g.application === application && g.state === state);
    assert.equal(group('site', 'idle')?.count, 24);
    assert.equal(group('site', 'idle')?.client, '127.0.0.1');
    assert.equal(group('bot', 'idle in transaction')?.count, 5);
    assert.ok(report.total >= 24 + 5 + 3);
    assert.ok(
      report.backends.every((b) => b.application !== 'runbook'),
      'the tool does not count itself',
    );
  });

  it('shows idle-in-transaction and long-running transactions with their ages', async () => {
    const report = await conn.read.connections();
    const metricity = report.backends.find((b) => b.application === 'metricity');
    assert.ok(metricity !== undefined);
    assert.equal(metricity.state, 'idle in transaction');
    assert.ok(metricity.transactionSeconds !== undefined && metricity.transactionSeconds >= 0);
    assert.match(metricity.query, /txid_current/);
    const site = report.backends.find((b) => b.application === 'site');
    assert.equal(site?.transactionSeconds, undefined);
  });

  it('counts locks by mode and relation, and says who blocks whom', async () => {
    const report = await waitFor('the waiter to queue behind the lock', async () => {
      const r = await conn.read.locks();
      return r.blocking.length > 0 ? r : undefined;
    });
    const exclusive = report.counts.find((c) => c.mode === 'AccessExclusiveLock' && c.relation === 'orders');
    assert.equal(exclusive?.granted, 1);
    const queued = report.counts.find((c) => c.mode === 'AccessShareLock' && c.relation === 'orders');
    assert.equal(queued?.waiting, 1);
    const [blocked] = report.blocking;
    assert.equal(blocked?.blocked.application, 'site-worker');
    assert.deepEqual(
      blocked?.blockedBy.map((b) => b.application),
      ['migrations'],
    );
    assert.equal(
      blocked?.blockedBy[0]?.pid,
      (await conn.read.connections()).backends.find((b) => b.application === 'migrations')?.pid,
    );
  });

  it('shows a running vacuum with its table and phase', async () => {
    const [vacuumer] = await server.openClients(1, 'maintenance');
    assert.ok(vacuumer !== undefined);
    await vacuumer.query('create table big (id int, pad text)');
    await vacuumer.query(
      'insert into big select g, repeat(md5(g::text), 8) from generate_series(1, 20000) g',
    );
    await vacuumer.query('delete from big where id % 2 = 0');
    await vacuumer.query('set vacuum_cost_delay = 100');
    await vacuumer.query('set vacuum_cost_limit = 1');
    const running = vacuumer.query('vacuum big').catch(() => undefined);
    const vacuum = await waitFor('vacuum progress on big', async () =>
      (await conn.read.vacuums()).find((v) => v.relation === 'big'),
    );
    assert.equal(vacuum.autovacuum, false);
    assert.equal(vacuum.database, 'appdb');
    assert.match(vacuum.phase, /scanning heap|vacuuming|initializing/);
    assert.ok((vacuum.heapBlocksTotal ?? 0) > 0);
    const admin = await server.admin();
    await admin.query('select pg_cancel_backend($1)', [vacuum.pid]);
    await running;
  });

  it('terminates exactly the chosen backends, and never a pid reused by another backend', async () => {
    const before = await conn.read.connections();
    const bots = before.backends.filter((b) => b.application === 'bot');
    assert.equal(bots.length, 5);
    const [first, ...rest] = bots;
    assert.ok(first !== undefined);
    const result = await conn.write.terminate([
      ...rest.map((b) => ({ pid: b.pid, backendStart: b.backendStart })),
      { pid: first.pid, backendStart: '2000-01-01 00:00:00+00' },
    ]);
    assert.deepEqual([...result.terminated].sort(), rest.map((b) => b.pid).sort());
    assert.deepEqual(result.gone, [first.pid]);
    const afterwards = await waitFor('the terminated backends to go', async () => {
      const r = await conn.read.connections();
      return r.backends.filter((b) => b.application === 'bot').length === 1 ? r : undefined;
    });
    assert.equal(afterwards.backends.find((b) => b.application === 'bot')?.pid, first.pid);
    assert.equal(afterwards.groups.find((g) => g.application === 'site')?.count, 24);
  });

  it('reports the backends another role may not terminate as refused', async () => {
    const appConn = createPostgresConnection({ env: pgTestEnv(), databaseUrl: server.appUrl });
    try {
      const admin = await server.admin();
      const [{ pid, started }] = (
        await admin.query<{ pid: number; started: string }>(
          'select pg_backend_pid() as pid, backend_start::text as started from pg_stat_activity where pid = pg_backend_pid()',
        )
      ).rows as [{ pid: number; started: string }];
      const result = await appConn.write.terminate([{ pid, backendStart: started }]);
      assert.deepEqual(result.refused, [pid]);
      assert.deepEqual(result.terminated, []);
    } finally {
      await appConn.close();
    }
  });

  it('lists the databases a dump can take', async () => {
    assert.deepEqual(await conn.read.databases(), ['appdb', 'postgres']);
  });

  it('names the server without its password', () => {
    assert.match(conn.identity().url, /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/appdb$/);
    assert.equal(conn.identity().via, '--database-url');
    void longTx;
    void holder;
  });
});
