// The flagship path of the 2020-12-11 night: no database URL, so Postgres is reached through a
// port-forward to its pod. What the server says (a wrong password, every slot taken) must reach the
// operator as it does over a direct connection, with the same exit code and advice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import {
  SUPERUSER_PASSWORD,
  type TestPostgres,
  startTestPostgres,
  forwardPostgresPodsTo,
} from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const lastError = (stderr: string): string =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith('✖ '))
    .at(-1) ?? '';

describe('Postgres errors through a port-forward', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let crowd: pg.Client[] = [];

  before(async () => {
    h = await startSimHarness('healthy');
    db = await startTestPostgres({ maxConnections: 8 });
    await forwardPostgresPodsTo(h.sim.url, db);
  });
  after(async () => {
    await Promise.allSettled(crowd.map((c) => c.end()));
    await db.stop();
    await h.stop();
  });

  it('a wrong password: exit 8 with the server own reason, as over a direct connection', async () => {
    const result = await runCli(['postgres-connections', '--yes'], {
      env: h.env({ PGPASSWORD: 'not-the-password' }),
    });
    assert.equal(result.exitCode, EXIT_CODES['access-refused'], result.stderr + result.stdout);
    assert.match(
      lastError(result.stderr),
      /refused the login of "postgres": password authentication failed for user "postgres"\.$/,
    );
    assert.doesNotMatch(result.stderr, /: \.$/m, 'never an empty reason');
  });

  it('no password at all: exit 8, saying where a password goes', async () => {
    const result = await runCli(['postgres-connections', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES['access-refused'], result.stderr + result.stdout);
    assert.match(lastError(result.stderr), /refused the login of "postgres": .*password/);
    assert.match(result.stderr, /PGPASSWORD/);
  });

  it('every slot taken: exit 12, "sorry, too many clients already", and the way in', async () => {
    // 8 slots, 3 kept for superusers: the test's own set-up connection and the site fill the 5
    // others, then superusers fill the reserved 3.
    crowd = await db.openClients(4, 'site');
    for (let i = 0; i < 3; i++) crowd.push(await db.admin());
    const result = await runCli(['postgres-connections', '--yes'], {
      env: h.env({ PGPASSWORD: SUPERUSER_PASSWORD }),
    });
    assert.equal(result.exitCode, EXIT_CODES['database-full'], result.stderr + result.stdout);
    assert.match(lastError(result.stderr), /sorry, too many clients already/);
    assert.match(result.stderr, /superuser_reserved_connections|kubectl exec/);
    assert.ok(!(result.stdout + result.stderr).includes(SUPERUSER_PASSWORD));
  });
});
