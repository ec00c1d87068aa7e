// Every Postgres dry run tells the truth, through the built CLI against a real PostgreSQL: what it
// checked without writing a backup or terminating anyone, what the real run would refuse, which runs
// need the cluster (a change, for the lock) and which do not (a report or a dry run given a URL).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { type CliResult, cleanEnv, runCli } from '../helpers/cli.js';
import {
  APP_PASSWORD,
  SUPERUSER_PASSWORD,
  type TestPostgres,
  startTestPostgres,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('Postgres dry runs, reports and changes from the command line', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let admin: pg.Client;
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-pg-dry-'));
  // A monitoring role: it sees every backend (pg_read_all_stats) but may signal none of a superuser's.
  const MONITOR_PASSWORD = 'Monitor-secret-planted-5e2a';
  let monitorUrl: string;
  const outputs: string[] = [];

  /** No kubeconfig (cleanEnv points KUBECONFIG nowhere), no Linode token: only Postgres. */
  const noCluster = (extra: Record<string, string> = {}): Record<string, string> =>
    cleanEnv({ RUNBOOK_STATE_DIR: stateDir, ...extra });

  async function cli(args: string[], env: Record<string, string>): Promise<CliResult> {
    const result = await runCli(args, { env });
    outputs.push(result.stdout, result.stderr);
    return result;
  }

  /** The backends of one application as pg_stat_activity shows them now. */
  async function backendsOf(application: string): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      'select pid from pg_stat_activity where application_name = $1 order by pid',
      [application],
    );
    return rows.map((r) => r.pid);
  }

  const runIdOf = (stdout: string): string => {
    const id = /run {6}(\S+)/.exec(stdout)?.[1];
    assert.ok(id !== undefined, stdout);
    return id;
  };

  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    db = await startTestPostgres();
    admin = await db.admin();
    await admin.query(`create role monitor login password '${MONITOR_PASSWORD}' in role pg_read_all_stats`);
    monitorUrl = `postgres://monitor:${MONITOR_PASSWORD}@${db.host}:${db.port}/postgres`;
    await db.openClients(5, 'site');
    // Backends of the superuser: the role `app` may not terminate them.
    for (let i = 0; i < 2; i++) {
      const ops = await db.admin();
      await ops.query("set application_name = 'ops'");
    }
  });
  after(async () => {
    await db.stop();
    await h.stop();
  });

  it('postgres-connections without --application is a report: no terminal, no --yes, no lock, exit 0', async () => {
    const result = await cli(
      ['postgres-connections'],
      h.env({ RUNBOOK_STATE_DIR: stateDir, DATABASE_URL: db.appUrl }),
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /client connections of max_connections 100/);
    assert.match(result.stdout, / 5 {2}site @ 127\.0\.0\.1, idle$/m);
    assert.match(
      result.stdout,
      /nothing chosen: to end connections, run again with e\.g\. --application site/,
    );
    assert.deepEqual(h.locks(), [], 'no Lease taken, renewed or released');
    assert.equal(h.get('coordination.k8s.io/v1', 'Lease', 'default', 'runbook-lock'), undefined);
  });

  it('postgres-backup --dry-run with a URL and no cluster: checks what a dump needs, writes nothing, exit 0', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'runbook-dry-backup-'));
    const result = await cli(
      ['postgres-backup', '--dry-run', '--database-url', db.superuserUrl, '--directory', directory],
      noCluster(),
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /cluster {2}not used: Postgres is reached by --database-url/);
    assert.match(result.stdout, /linode {3}not used by this runbook/);
    assert.match(
      result.stdout,
      /○ not carried out \(not previewable\): back up the roles and appdb, postgres from/,
    );
    assert.match(
      result.stdout,
      /not previewable back up the roles and appdb, postgres .*checked instead: the directory takes a file, pg_dump and pg_restore run and are not older than the server, the server answers/,
    );
    assert.doesNotMatch(result.stdout + result.stderr, /is not a verified backup/);
    assert.deepEqual(readdirSync(directory), [], 'a dry run writes no dump, no probe file');

    const log = await cli(['log', runIdOf(result.stdout)], noCluster());
    assert.match(
      log.stdout,
      /checked, not carried out \(not previewable\): back up the roles and appdb, postgres/,
    );
  });

  it('postgres-backup --dry-run predicts what the real run would refuse, naming the step', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'runbook-dry-backup-'));
    // The role app may not create the scratch database --verify restore restores into.
    const restore = await cli(
      [
        'postgres-backup',
        '--dry-run',
        '--database-url',
        db.appUrl,
        '--directory',
        directory,
        '--verify',
        'restore',
      ],
      noCluster(),
    );
    assert.equal(restore.exitCode, 13, restore.stderr + restore.stdout);
    assert.match(
      restore.stderr,
      /Predicted to fail at step "Dump, checksum and verify the databases": --verify restore needs a scratch database, and app may not create one/,
    );
    assert.match(restore.stderr, /This was a dry run: nothing was changed\./);

    // pg_dump installed but unable to run (no execute permission): found, then its --version fails.
    const broken = mkdtempSync(join(tmpdir(), 'runbook-broken-pg-bin-'));
    for (const tool of ['pg_dump', 'pg_restore']) {
      writeFileSync(join(broken, tool), '');
      chmodSync(join(broken, tool), 0o644);
    }
    const noDump = await cli(
      ['postgres-backup', '--dry-run', '--database-url', db.superuserUrl, '--directory', directory],
      noCluster({ RUNBOOK_PG_BIN: broken }),
    );
    assert.equal(noDump.exitCode, 13, noDump.stderr + noDump.stdout);
    assert.match(
      noDump.stderr,
      /Predicted to fail at step "Dump, checksum and verify the databases": pg_dump at .*runbook-broken-pg-bin-\w+\/pg_dump does not run/,
    );
    assert.deepEqual(readdirSync(directory), []);
  });

  it('postgres-remount --dry-run with Postgres reachable: the backup is checked, not taken, and the rehearsal goes on', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'runbook-dry-remount-'));
    const result = await cli(
      ['postgres-remount', '--dry-run', '--database-url', db.superuserUrl, '--backup-directory', directory],
      h.env({ RUNBOOK_STATE_DIR: stateDir }),
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /○ not carried out \(not previewable\): back up appdb, postgres from/);
    assert.match(result.stdout, /not previewable back up appdb, postgres/);
    assert.match(result.stdout, /verified {8}scale deployment default\/postgres/);
    assert.deepEqual(readdirSync(directory), []);
    assert.deepEqual(h.mutations(), [], 'nothing sent to the cluster or Linode but dry runs');
  });

  it('postgres-connections --application … --dry-run shows who would be terminated, and terminates no one', async () => {
    const before = await backendsOf('site');
    assert.equal(before.length, 5);
    const result = await cli(
      ['postgres-connections', '--application', 'site', '--state', 'idle', '--older-than', '0', '--dry-run'],
      noCluster({ DATABASE_URL: db.superuserUrl }),
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    for (const pid of before) {
      assert.match(
        result.stdout,
        new RegExp(`pid ${pid} site \\(user app\\) @ 127\\.0\\.0\\.1: idle for \\d+s, connected \\d+s`),
      );
    }
    assert.match(result.stdout, /not previewable terminate 5 connections on postgres:\/\/postgres:\*\*\*@/);
    assert.match(result.stdout, /its result is not checked: the change above was not carried out/);
    assert.deepEqual(await backendsOf('site'), before, 'every site backend is still connected');
  });

  it('a dry run predicts a termination Postgres would refuse: superuser backends, a monitoring role', async () => {
    const ops = await backendsOf('ops');
    assert.equal(ops.length, 2);
    const result = await cli(
      ['postgres-connections', '--application', 'ops', '--state', 'idle', '--older-than', '0', '--dry-run'],
      noCluster({ DATABASE_URL: monitorUrl }),
    );
    assert.equal(result.exitCode, 1, result.stderr + result.stdout);
    assert.match(
      result.stderr,
      /Predicted to fail at step "Terminate the connections chosen with --application": Postgres would refuse to terminate 2 of 2 backends/,
    );
    assert.deepEqual(await backendsOf('ops'), ops);

    // And the real run meets exactly that refusal.
    const real = await cli(
      ['postgres-connections', '--yes', '--application', 'ops', '--state', 'idle', '--older-than', '0'],
      h.env({ RUNBOOK_STATE_DIR: stateDir, DATABASE_URL: monitorUrl }),
    );
    assert.equal(real.exitCode, 1, real.stderr + real.stdout);
    assert.match(real.stderr, /Postgres refused to terminate 2 of 2 backends/);
    assert.deepEqual(await backendsOf('ops'), ops);
  });

  it('a termination with a URL but no kubeconfig refuses in one sentence: the lock needs the cluster', async () => {
    const before = await backendsOf('site');
    const result = await cli(
      ['postgres-connections', '--yes', '--application', 'site', '--state', 'idle', '--older-than', '0'],
      noCluster({ DATABASE_URL: db.superuserUrl }),
    );
    assert.equal(result.exitCode, 2, result.stderr + result.stdout);
    assert.match(
      result.stderr,
      /postgres-connections changes Postgres, and every change holds the cluster lock so other operators see who is recovering, but there is no kubeconfig at \/nonexistent\/kubeconfig\./,
    );
    assert.match(
      result.stderr,
      /Pass --kubeconfig <file> or set KUBECONFIG; --dry-run shows what it would change/,
    );
    assert.deepEqual(await backendsOf('site'), before, 'nothing terminated');
  });

  it('with the cluster given, the same termination holds the lock, ends the backends and checks they are gone', async () => {
    const result = await cli(
      ['postgres-connections', '--yes', '--application', 'site', '--state', 'idle', '--older-than', '0'],
      h.env({ RUNBOOK_STATE_DIR: stateDir, DATABASE_URL: db.superuserUrl }),
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /lock {5}default\/runbook-lock, held by this run until it ends/);
    assert.match(result.stdout, /linode {3}not used by this runbook/);
    assert.match(result.stdout, /✓ 5 chosen connections are gone/);
    assert.ok(h.locks().length > 0, 'the Lease was taken');
    assert.deepEqual(await backendsOf('site'), []);
  });

  it('no password reached the screen or the journal', () => {
    const journals = readdirSync(join(stateDir, 'runs')).map((f) =>
      readFileSync(join(stateDir, 'runs', f), 'utf8'),
    );
    assert.ok(journals.length >= 7, `${journals.length} journals`);
    const everything = [...outputs, ...journals].join('\n');
    for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD, MONITOR_PASSWORD]) {
      assert.ok(!everything.includes(secret), 'a password was printed or journaled');
    }
  });
});
