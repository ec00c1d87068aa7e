// postgres-connections, step by step in-process through RunbookRun: the Kubernetes and Linode readers
// on the simulator, the Postgres reader and writer on a real server in a real surge.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { alwaysYes, type Confirmer } from '../../src/engine/confirm.js';
import { RunbookError } from '../../src/engine/errors.js';
import { resolveParams } from '../../src/engine/params.js';
import type { Readers, Writers } from '../../src/engine/ports.js';
import { RunbookRun } from '../../src/engine/run.js';
import { connectKube, createKubeReader, createKubeWriter } from '../../src/providers/kubernetes/index.js';
import { connectLinode, createLinodeReader, createLinodeWriter } from '../../src/providers/linode/index.js';
import { createPostgresConnection, type PostgresConnection } from '../../src/providers/postgres/index.js';
import { postgresConnections } from '../../runbooks/postgres-connections.js';
import {
  APP_PASSWORD,
  SUPERUSER_PASSWORD,
  type TestPostgres,
  pgTestEnv,
  recordOutput,
  startTestPostgres,
  waitFor,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('postgres-connections on the 2020-12-11 surge, for real', () => {
  let server: TestPostgres;
  let h: SimHarness;
  let pgConn: PostgresConnection;
  let read: Readers;
  let write: Writers;

  before(async () => {
    server = await startTestPostgres({ maxConnections: 60 });
    const [schema] = await server.openClients(1, 'schema');
    await schema?.query('create table infractions (id int)');
    // Old deployments of site that never closed their connections, as on 2020-12-11.
    await server.openClients(30, 'site');
    await server.openClients(6, 'bot', 'begin; select count(*) from infractions');
    await server.openClients(4, 'metricity');
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    const env = h.env();
    const kube = await connectKube({ kubeconfig: h.kubeconfig, env });
    const linode = await connectLinode({ env });
    // The operator's DATABASE_URL names the application's database, where its tables have names.
    pgConn = createPostgresConnection({
      env: pgTestEnv(),
      databaseUrl: server.superuserUrl.replace(/\/postgres$/, '/appdb'),
    });
    read = { kube: createKubeReader(kube), linode: createLinodeReader(linode), postgres: pgConn.read };
    write = { kube: createKubeWriter(kube), linode: createLinodeWriter(linode), postgres: pgConn.write };
  });
  after(async () => {
    await pgConn.close();
    await h.stop();
    await server.stop();
  });

  const run = (given: Record<string, string>, confirmer: Confirmer = alwaysYes) =>
    new RunbookRun({
      runbook: postgresConnections,
      params: resolveParams(postgresConnections.params, given),
      read,
      write,
      confirmer,
      signal: new AbortController().signal,
    });

  it('without --application it only reads: who holds the connections, locks, vacuums', async () => {
    const r = run({});
    const { lines, out } = recordOutput();
    for (const step of r.steps) await r.runStep(step, out);
    const screen = lines.join('\n');
    assert.match(screen, /4\d client connections of max_connections 60 \(3 reserved for superusers\)/);
    assert.match(screen, /^\s+30 {2}site @ 127\.0\.0\.1, idle$/m);
    assert.match(screen, /6 idle in transaction/);
    assert.match(screen, /AccessShareLock on infractions/);
    assert.match(screen, /no vacuum or autovacuum running/);
    assert.match(screen, /nothing chosen: to end connections, run again with e\.g\. --application site/);
    assert.deepEqual(
      r.results.map((x) => x.status),
      ['nothing-to-do', 'nothing-to-do', 'nothing-to-do', 'nothing-to-do'],
    );
    for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD]) assert.ok(!screen.includes(secret));
  });

  it('answered no, it terminates nothing', async () => {
    const r = run({ application: 'site', state: 'idle', olderThan: '0' });
    const no: Confirmer = { ask: () => Promise.resolve('no'), typeToConfirm: () => Promise.resolve(true) };
    const terminate = r.steps.find((s) => s.id === 'terminate');
    assert.ok(terminate !== undefined);
    const { out } = recordOutput();
    await assert.rejects(
      r.runStep(terminate, out, no),
      (e: unknown) => e instanceof RunbookError && e.code === 'declined',
    );
    const report = await pgConn.read.connections();
    assert.equal(report.groups.find((g) => g.application === 'site')?.count, 30);
  });

  it('a wrong name typed: declined, nothing terminated', async () => {
    const r = run({ application: 'site', olderThan: '0' });
    const typo: Confirmer = {
      ask: () => Promise.resolve('yes'),
      typeToConfirm: (expected) => Promise.resolve(expected === 'sit'),
    };
    const terminate = r.steps.find((s) => s.id === 'terminate');
    assert.ok(terminate !== undefined);
    await assert.rejects(r.runStep(terminate, recordOutput().out, typo), /did not match "site"/);
    assert.equal((await pgConn.read.connections()).groups.find((g) => g.application === 'site')?.count, 30);
  });

  it('idle connections of one application older than N minutes: none yet, so nothing is planned', async () => {
    const r = run({ application: 'site', state: 'idle', olderThan: '10' });
    const terminate = r.steps.find((s) => s.id === 'terminate');
    assert.ok(terminate !== undefined);
    const { lines, out } = recordOutput();
    const result = await r.runStep(terminate, out);
    assert.equal(result.status, 'nothing-to-do');
    assert.match(lines.join('\n'), /no idle connections of site in that state for 10m00s or more/);
  });

  it("confirmed, it terminates exactly the chosen application's idle connections and checks they are gone", async () => {
    const r = run({ application: 'site', state: 'idle', olderThan: '0' });
    const terminate = r.steps.find((s) => s.id === 'terminate');
    assert.ok(terminate !== undefined);
    let asked: string | undefined;
    const yes: Confirmer = {
      ask: () => Promise.resolve('yes'),
      typeToConfirm: (expected) => {
        asked = expected;
        return Promise.resolve(true);
      },
    };
    const { lines, out } = recordOutput();
    const result = await r.runStep(terminate, out, yes);
    assert.equal(result.status, 'done');
    assert.equal(asked, 'site', 'the operator types the application name');
    const screen = lines.join('\n');
    assert.match(
      screen,
      /terminate 30 connections on postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/appdb: idle connections of site {2}\[destructive\]/,
    );
    assert.match(
      screen,
      /equivalent: psql -c 'select pg_terminate_backend\(pid\) from pg_stat_activity where pid in \(/,
    );
    assert.match(screen, /✓ 30 chosen connections are gone/);
    const report = await waitFor('site to be gone', async () => {
      const rep = await pgConn.read.connections();
      return rep.groups.some((g) => g.application === 'site') ? undefined : rep;
    });
    assert.equal(
      report.groups.find((g) => g.application === 'bot')?.count,
      6,
      'other applications untouched',
    );
    assert.equal(report.groups.find((g) => g.application === 'metricity')?.count, 4);
  });

  it('idle in transaction is its own choice', async () => {
    const r = run({ application: 'bot', state: 'idle-in-transaction', olderThan: '0' });
    const terminate = r.steps.find((s) => s.id === 'terminate');
    assert.ok(terminate !== undefined);
    const result = await r.runStep(terminate, recordOutput().out);
    assert.equal(result.status, 'done');
    assert.equal(
      (await pgConn.read.connections()).groups.find((g) => g.application === 'bot'),
      undefined,
    );
  });

  it('refuses a bad --state and a bad --older-than before anything runs', () => {
    assert.throws(
      () => resolveParams(postgresConnections.params, { state: 'asleep' }),
      /--state must be one of idle, idle-in-transaction, any/,
    );
    assert.throws(
      () => resolveParams(postgresConnections.params, { olderThan: '-3' }),
      /--older-than must be a whole number/,
    );
  });
});
