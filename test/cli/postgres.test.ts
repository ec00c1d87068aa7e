// The Postgres runbooks through the CLI, as an operator runs them: a real PostgreSQL on loopback
// beside the simulated cluster, the connection from --database-url or DATABASE_URL, no secret shown.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { runCli } from '../helpers/cli.js';
import { SUPERUSER_PASSWORD, type TestPostgres, startTestPostgres, waitFor } from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('postgres runbooks from the command line', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let site: pg.Client[] = [];
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-pg-cli-'));
  const outputs: string[] = [];

  before(async () => {
    h = await startSimHarness('healthy');
    db = await startTestPostgres();
    site = await db.openClients(20, 'site');
  });
  after(async () => {
    await Promise.allSettled(site.map((c) => c.end()));
    await db.stop();
    await h.stop();
  });

  it('postgres-connections shows who holds the connections, read only without --application', async () => {
    const result = await runCli(['postgres-connections', '--yes', '--database-url', db.superuserUrl], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir }),
    });
    outputs.push(result.stdout, result.stderr);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(
      result.stdout,
      /postgres postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres via --database-url/,
    );
    assert.match(result.stdout, /site/);
    assert.match(result.stdout, /\b20\b/);
    assert.match(
      result.stderr,
      /^! The password in --database-url is visible to every user of this machine \(ps\): put it in PGPASSWORD/m,
    );
  });

  it('--database-url without its password takes it from PGPASSWORD, and warns of nothing', async () => {
    const url = new URL(db.superuserUrl);
    url.password = '';
    const result = await runCli(['postgres-connections', '--database-url', url.toString()], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir, PGPASSWORD: SUPERUSER_PASSWORD }),
    });
    outputs.push(result.stdout, result.stderr);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /\b20\b/);
    assert.doesNotMatch(result.stderr, /visible to every user/);
  });

  it('with --application it terminates what the operator chose, and they are gone', async () => {
    const result = await runCli(
      ['postgres-connections', '--yes', '--application', 'site', '--state', 'idle', '--older-than', '0'],
      { env: h.env({ RUNBOOK_STATE_DIR: stateDir, DATABASE_URL: db.superuserUrl }) },
    );
    outputs.push(result.stdout, result.stderr);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /terminate 20 connections/, result.stdout);
    const admin = await db.admin();
    await waitFor('the site connections to end', async () => {
      const { rows } = await admin.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where application_name = 'site'",
      );
      return rows[0]?.n === '0' ? true : undefined;
    });
  });

  it('postgres-backup writes a verified dump and its sha256', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'runbook-backups-'));
    const result = await runCli(
      ['postgres-backup', '--yes', '--database-url', db.superuserUrl, '--directory', directory],
      { env: h.env({ RUNBOOK_STATE_DIR: stateDir }) },
    );
    outputs.push(result.stdout, result.stderr);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const files = readdirSync(directory);
    assert.ok(
      files.some((f) => f.endsWith('.sha256')),
      files.join(', '),
    );
    assert.ok(!files.some((f) => f.endsWith('.partial')));
  });

  it('no password reached the screen or the journal', () => {
    const journals = readdirSync(join(stateDir, 'runs')).map((f) =>
      readFileSync(join(stateDir, 'runs', f), 'utf8'),
    );
    const everything = [...outputs, ...journals].join('\n');
    assert.ok(!everything.includes(SUPERUSER_PASSWORD));
  });
});
