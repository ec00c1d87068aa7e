// A Postgres runbook through `runbook serve`: the alert routes to postgres-connections, whose dry run
// reads the real PostgreSQL 15 behind the simulated pod (a port-forward, as in a cluster) and posts
// its plan; Postgres is never written: every connection still there, no setting changed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { routesInForce } from '../../src/cli/alerts/routes.js';
import type { RunningServe } from '../../src/serve/server.js';
import {
  APP_PASSWORD,
  SUPERUSER_PASSWORD,
  type TestPostgres,
  forwardPostgresPodsTo,
  startTestPostgres,
} from '../helpers/postgres.js';
import { type ServeWorld, startServeWorld } from '../helpers/serve-world.js';
import type { SimHarness } from '../helpers/sim.js';
import type { Receiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-8a41c2d9';
const SITE_CLIENTS = 20;

/** Who is connected, by backend (pid and start: a terminated and replaced one differs). */
async function backends(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ pid: number; start: string; app: string }>(
    "select pid, backend_start::text as start, application_name as app from pg_stat_activity where application_name in ('site', 'bot') order by pid",
  );
  return rows.map((r) => `${r.app} ${r.pid} ${r.start}`);
}

async function settings(admin: pg.Client): Promise<string[]> {
  const { rows } = await admin.query<{ name: string; setting: string }>(
    'select name, setting from pg_settings order by name',
  );
  return rows.map((r) => `${r.name}=${r.setting}`);
}

describe('runbook serve: a Postgres alert, its dry run on the real server', () => {
  let world: ServeWorld;
  let h: SimHarness;
  let db: TestPostgres;
  let admin: pg.Client;
  let clients: pg.Client[] = [];
  let chat: Receiver;
  let serve: RunningServe;

  before(async () => {
    world = await startServeWorld('healthy', TOKEN);
    ({ h, chat } = world);
    db = await startTestPostgres({ maxConnections: 40 });
    clients = [
      ...(await db.openClients(SITE_CLIENTS, 'site')),
      ...(await db.openClients(3, 'bot', 'begin; select 1')),
    ];
    admin = await db.admin();
    await forwardPostgresPodsTo(h.sim.url, db);
    serve = await world.startServe({
      env: { PGPASSWORD: SUPERUSER_PASSWORD },
      // A team's route that names the application to end (the built-in one only reports).
      routes: routesInForce([
        {
          source: 'alerts.json',
          routes: [
            {
              alert: 'SiteHoldsTooManyConnections',
              runbook: 'postgres-connections',
              params: { application: '{{application}}', state: 'idle', olderThan: '0' },
              why: 'the site leaks idle connections',
            },
          ],
        },
      ]),
    });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.end()));
    await admin.end();
    await db.stop();
    await world.close();
  });

  it('posts the report and the planned termination; no connection ended, no setting changed', async () => {
    const connectedBefore = await backends(admin);
    const settingsBefore = await settings(admin);
    assert.equal(connectedBefore.filter((b) => b.startsWith('site ')).length, SITE_CLIENTS);

    const answer = await world.post(serve, [
      { status: 'firing', labels: { alertname: 'PostgresTooManyConnections', namespace: 'default' } },
      { status: 'firing', labels: { alertname: 'SiteHoldsTooManyConnections', application: 'site' } },
    ]);
    assert.equal(answer.status, 202);
    await serve.intake.idle();
    await serve.stop();

    const posts = chat.bodies.map((b) => b.content ?? '');
    assert.equal(posts.length, 2, posts.join('\n---\n'));
    const report = posts.find((p) => p.startsWith('🔔 PostgresTooManyConnections')) ?? '';
    assert.match(report, /^Command: `runbook postgres-connections`$/m);
    assert.match(report, /^• no change planned$/m);
    const terminate = posts.find((p) => p.startsWith('🔔 SiteHoldsTooManyConnections')) ?? '';
    assert.match(
      terminate,
      /^Command: `runbook postgres-connections --application site --state idle --older-than 0`$/m,
    );
    assert.match(terminate, new RegExp(`^• not previewable: .*${SITE_CLIENTS}.*site`, 'm'));
    assert.doesNotMatch(terminate, /Predicted failure/);

    // The world: the same backends (pid and start) as before, the same settings.
    assert.deepEqual(await backends(admin), connectedBefore);
    assert.deepEqual(await settings(admin), settingsBefore);
    for (const client of clients.slice(0, 3)) await client.query('select 1');
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.locks(), []);
    const all = world.logText() + posts.join('\n');
    for (const secret of [TOKEN, SUPERUSER_PASSWORD, APP_PASSWORD]) assert.ok(!all.includes(secret));
  });
});
