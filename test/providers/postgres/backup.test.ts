// Backups against a real server: pg_dump, a sha256 beside the dump, pg_restore reading it back (or a
// restore into a scratch database); and the failures that must leave nothing looking like a backup.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { RunbookError } from '../../../src/engine/errors.js';
import { EXIT_CODES } from '../../../src/engine/exit-codes.js';
import { createPostgresConnection, type PostgresConnection } from '../../../src/providers/postgres/index.js';
import {
  APP_PASSWORD,
  SUPERUSER_PASSWORD,
  type TestPostgres,
  pgTestEnv,
  startTestPostgres,
} from '../../helpers/postgres.js';

async function failure(promise: Promise<unknown>): Promise<RunbookError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RunbookError, `expected a RunbookError, got ${String(error)}`);
    for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD]) {
      assert.ok(!`${error.message} ${error.next ?? ''}`.includes(secret), 'a password leaked');
    }
    return error;
  }
  assert.fail('expected a failure');
}

/** A tiny or read-only tmpfs; skips the test where this machine may not mount. */
function mountTmpfs(t: TestContext, options: string): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    t.skip('cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)');
    return undefined;
  }
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

describe('postgres backups with pg_dump', () => {
  let server: TestPostgres;
  let conn: PostgresConnection;
  let out: string;

  before(async () => {
    server = await startTestPostgres();
    const [app] = await server.openClients(1, 'seed');
    await app?.query('create table members (id int primary key, name text)');
    await app?.query("insert into members select g, 'member ' || g from generate_series(1, 500) g");
    await app?.query('create table notes (id serial, body text)');
    await app?.query('insert into notes (body) select md5(random()::text) from generate_series(1, 20000)');
    conn = createPostgresConnection({ env: pgTestEnv(), databaseUrl: server.superuserUrl });
    out = mkdtempSync(join(tmpdir(), 'runbook-backups-'));
  });
  after(async () => {
    await conn.close();
    await server.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('dumps each database, writes a sha256 beside it and verifies it with pg_restore --list', async () => {
    const files = await conn.write.backup({
      databases: ['appdb', 'postgres'],
      directory: out,
      stamp: 't1',
      verify: 'list',
    });
    assert.deepEqual(
      files.map((f) => f.database),
      ['appdb', 'postgres'],
    );
    for (const file of files) {
      assert.equal(file.path, join(out, `${file.database}-t1.dump`));
      const bytes = readFileSync(file.path);
      assert.equal(file.bytes, bytes.length);
      assert.equal(file.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(readFileSync(`${file.path}.sha256`, 'utf8'), `${file.sha256}  ${file.database}-t1.dump\n`);
      assert.equal(
        statSync(file.path).mode & 0o777,
        0o600,
        'a dump holds every row: only its owner reads it',
      );
      assert.match(file.verified, /pg_restore --list reads \d+ entries/);
    }
    const listing = execFileSync(join(server.binDir, 'pg_restore'), [
      '--list',
      join(out, 'appdb-t1.dump'),
    ]).toString();
    assert.match(listing, /TABLE public members/);
    assert.deepEqual(readdirSync(out).sort(), [
      'appdb-t1.dump',
      'appdb-t1.dump.sha256',
      'postgres-t1.dump',
      'postgres-t1.dump.sha256',
    ]);
  });

  it('verifies by a restore into a scratch database when asked, and drops it afterwards', async () => {
    const [file] = await conn.write.backup({
      databases: ['appdb'],
      directory: out,
      stamp: 't2',
      verify: 'restore',
    });
    assert.match(
      file?.verified ?? '',
      /restored into scratch database runbook_verify_appdb_t2, then dropped/,
    );
    assert.deepEqual(await conn.read.databases(), ['appdb', 'postgres']);
  });

  it('never overwrites an earlier backup', async () => {
    const e = await failure(
      conn.write.backup({ databases: ['appdb'], directory: out, stamp: 't1', verify: 'list' }),
    );
    assert.equal(e.code, 'backup-failed');
    assert.match(e.message, /already exists; a backup never overwrites another/);
  });

  it('a directory that does not exist: a sentence, exit 13, nothing written', async () => {
    const missing = join(out, 'no', 'such');
    const e = await failure(
      conn.write.backup({ databases: ['appdb'], directory: missing, stamp: 't3', verify: 'list' }),
    );
    assert.equal(e.code, 'backup-failed');
    assert.equal(EXIT_CODES[e.code], 13);
    assert.equal(e.message, `Cannot write a backup into ${missing}: it does not exist.`);
  });

  it('a read-only file system: refused before dumping', async (t) => {
    const dir = mountTmpfs(t, 'ro,size=1m');
    if (dir === undefined) return;
    try {
      const e = await failure(
        conn.write.backup({ databases: ['appdb'], directory: dir, stamp: 't4', verify: 'list' }),
      );
      assert.equal(e.message, `Cannot write a backup into ${dir}: it is on a read-only file system.`);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      unmount(dir);
    }
  });

  it('a disk that fills up mid-dump: says so, and leaves no partial file behind', async (t) => {
    const dir = mountTmpfs(t, 'size=64k');
    if (dir === undefined) return;
    try {
      const e = await failure(
        conn.write.backup({ databases: ['appdb'], directory: dir, stamp: 't5', verify: 'list' }),
      );
      assert.equal(e.code, 'backup-failed');
      assert.match(e.message, /filled up while (dumping|writing the backup of) appdb/);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      unmount(dir);
    }
  });

  it('a dry run checks what a dump needs and writes nothing; a read-only file system is named', async (t) => {
    const dir = mkdtempSync(join(out, 'dry-'));
    const request = { databases: ['appdb'], directory: dir, stamp: 't7', verify: 'list' } as const;
    assert.deepEqual(await conn.write.backup(request, { dryRun: true }), []);
    assert.deepEqual(readdirSync(dir), [], 'no dump, no probe left behind');
    const readOnly = mountTmpfs(t, 'ro,size=1m');
    if (readOnly === undefined) return;
    try {
      const e = await failure(conn.write.backup({ ...request, directory: readOnly }, { dryRun: true }));
      assert.equal(e.code, 'backup-failed');
      assert.equal(e.message, `Cannot write a backup into ${readOnly}: it is on a read-only file system.`);
    } finally {
      unmount(readOnly);
    }
  });

  it('a password pg_dump cannot log in with: access refused before dumping, no file, no password in the message', async () => {
    const wrong = createPostgresConnection({
      env: pgTestEnv(),
      databaseUrl: `postgres://app:not-${APP_PASSWORD}@127.0.0.1:${server.port}/appdb`,
    });
    const dir = join(out, 'wrong');
    mkdirSync(dir);
    try {
      const e = await failure(
        wrong.write.backup({ databases: ['appdb'], directory: dir, stamp: 't6', verify: 'list' }),
      );
      assert.equal(e.code, 'access-refused');
      // The server is asked before pg_dump starts: the same refusal, before anything is written.
      assert.match(e.message, /refused the login of "app": password authentication failed/);
      assert.ok(!e.message.includes(`not-${APP_PASSWORD}`));
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      await wrong.close();
    }
  });
});
