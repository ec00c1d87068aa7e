// The in-cluster path: no database URL at all, so the tool port-forwards to the Postgres pod
// through the Kubernetes API, and the simulator pipes that port-forward to a real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { runCli } from '../helpers/cli.js';
import {
  SUPERUSER_PASSWORD,
  type TestPostgres,
  startTestPostgres,
  forwardPostgresPodsTo,
  waitFor,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('Postgres through a port-forward to its pod', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let bots: pg.Client[] = [];

  before(async () => {
    h = await startSimHarness('healthy');
    db = await startTestPostgres();
    bots = await db.openClients(12, 'bot');
    await forwardPostgresPodsTo(h.sim.url, db);
  });
  after(async () => {
    await Promise.allSettled(bots.map((c) => c.end()));
    await db.stop();
    await h.stop();
  });

  it('triage reads the real server behind the simulated pod', async () => {
    const result = await runCli(['postgres-connections', '--yes'], {
      env: h.env({ PGPASSWORD: SUPERUSER_PASSWORD }),
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /via port-forward to/);
    assert.match(result.stdout, /12 {2}bot @ 127\.0\.0\.1, idle/);
    assert.ok(!(result.stdout + result.stderr).includes(SUPERUSER_PASSWORD));
  });

  it('and terminates through it', async () => {
    const result = await runCli(
      ['postgres-connections', '--yes', '--application', 'bot', '--state', 'idle', '--older-than', '0'],
      {
        env: h.env({ PGPASSWORD: SUPERUSER_PASSWORD }),
      },
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const admin = await db.admin();
    await waitFor('the bot connections to end', async () => {
      const { rows } = await admin.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where application_name = 'bot'",
      );
      return rows[0]?.n === '0' ? true : undefined;
    });
  });
});
