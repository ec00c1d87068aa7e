// The bad days of connecting, against a real server: a wrong password, nobody listening, a server
// that refuses everyone with "sorry, too many clients already". Each a sentence, a code, no secret.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RunbookError } from '../../../src/engine/errors.js';
import { EXIT_CODES } from '../../../src/engine/exit-codes.js';
import { connectPostgres, createPostgresConnection } from '../../../src/providers/postgres/index.js';
import {
  APP_PASSWORD,
  SUPERUSER_PASSWORD,
  type TestPostgres,
  freePort,
  pgTestEnv,
  startTestPostgres,
} from '../../helpers/postgres.js';

async function failure(promise: Promise<unknown>): Promise<RunbookError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof RunbookError, `expected a RunbookError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a failure');
}

const text = (e: RunbookError): string => `${e.message} ${e.next ?? ''}`;

function assertNoSecret(e: RunbookError): void {
  for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD, encodeURIComponent(SUPERUSER_PASSWORD)]) {
    assert.ok(!text(e).includes(secret), `a password leaked into: ${text(e)}`);
  }
}

describe('connecting to Postgres on a bad day', () => {
  let server: TestPostgres;
  before(async () => {
    server = await startTestPostgres({ maxConnections: 12 });
  });
  after(() => server.stop());

  it('a wrong password: access refused, the user named, the password not', async () => {
    const url = `postgres://app:${encodeURIComponent(`${APP_PASSWORD}-wrong`)}@127.0.0.1:${server.port}/appdb`;
    const e = await failure(connectPostgres({ env: pgTestEnv(), databaseUrl: url }));
    assert.equal(e.code, 'access-refused');
    assert.equal(EXIT_CODES[e.code], 8);
    assert.match(e.message, /refused the login of "app": password authentication failed/);
    assert.match(e.message, /postgres:\/\/app:\*\*\*@127\.0\.0\.1:\d+\/appdb/);
    assert.ok(!text(e).includes(`${APP_PASSWORD}-wrong`));
    assertNoSecret(e);
  });

  it('nobody listening: database unreachable, with what to check', async () => {
    const port = await freePort();
    const url = `postgres://postgres:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
    const e = await failure(connectPostgres({ env: pgTestEnv(), databaseUrl: url }));
    assert.equal(e.code, 'database-unreachable');
    assert.equal(EXIT_CODES[e.code], 11);
    assert.match(
      e.message,
      /Cannot reach Postgres at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres .*ECONNREFUSED/,
    );
    assertNoSecret(e);
  });

  it('no URL and no cluster: says where a connection can come from', async () => {
    const e = await failure(connectPostgres({ env: pgTestEnv() }));
    assert.equal(e.code, 'database-unreachable');
    assert.match(e.message, /no --database-url, no DATABASE_URL/);
  });

  it('a malformed URL is an invalid parameter that does not repeat the URL', () => {
    assert.throws(
      () => createPostgresConnection({ env: pgTestEnv(), databaseUrl: `mysql://root:${APP_PASSWORD}@db/x` }),
      (e: unknown) =>
        e instanceof RunbookError && e.code === 'invalid-parameter' && !e.message.includes(APP_PASSWORD),
    );
  });

  it('a server at max_connections: the app user is told to use the superuser slots; the superuser still reads', async () => {
    // Fill every slot an ordinary role may take, for real.
    const surge: unknown[] = [];
    for (let i = 0; i < server.maxConnections; i++) {
      try {
        surge.push(...(await server.openClients(1, 'site')));
      } catch (error) {
        assert.match(String(error), /too many clients|reserved for/);
        break;
      }
    }
    assert.ok(surge.length >= 5, `opened ${surge.length} connections`);

    const e = await failure(connectPostgres({ env: pgTestEnv(), databaseUrl: server.appUrl }));
    assert.ok(e.code === 'database-full', `${e.code}: ${e.message}`);
    assert.equal(EXIT_CODES[e.code], 12);
    assert.match(e.message, /refuses new connections/);
    assert.match(e.next ?? '', /superuser_reserved_connections/);
    assert.match(e.next ?? '', /--database-url postgres:\/\/postgres:\*\*\*@/);
    assertNoSecret(e);

    // The reserved slots let the superuser in: the triage still says who holds the connections.
    const su = await connectPostgres({ env: pgTestEnv(), databaseUrl: server.superuserUrl });
    try {
      const report = await su.read.connections();
      assert.equal(report.groups.find((g) => g.application === 'site')?.count, surge.length);
      assert.equal(report.maxConnections, 12);
    } finally {
      await su.close();
    }
  });

  it('even the reserved slots taken: says how to read from inside the pod', async () => {
    const held = [];
    for (let i = 0; i < 5; i++) {
      try {
        held.push(await server.admin());
      } catch {
        break;
      }
    }
    const e = await failure(
      connectPostgres({
        env: pgTestEnv(),
        databaseUrl: server.superuserUrl,
        namespace: 'default',
        deployment: 'postgres',
      }),
    );
    assert.equal(e.code, 'database-full');
    assert.match(e.next ?? '', /Even the superuser-reserved slots/);
    assert.match(e.next ?? '', /psql -U postgres -c "select application_name/);
    assertNoSecret(e);
  });
});
