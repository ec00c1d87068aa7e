// Starts a real PostgreSQL on loopback for one test file (initdb + pg_ctl as the postgres user, since
// initdb refuses root), hands out connection URLs with known passwords, and stops it afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  readonly host: string;
  readonly port: number;
  readonly binDir: string;
  /** The superuser `postgres`, whose password is SUPERUSER_PASSWORD. */
  readonly superuserUrl: string;
  /** A login role `app` (not a superuser), whose password is APP_PASSWORD. */
  readonly appUrl: string;
  readonly maxConnections: number;
  /** A client for the test's own setup, as the superuser; ended by stop(). */
  admin(): Promise<pg.Client>;
  /** Opens `count` connections as `app` named `applicationName`; each runs `sql` if given. */
  openClients(count: number, applicationName: string, sql?: string): Promise<pg.Client[]>;
  stop(): Promise<void>;
}

export const SUPERUSER_PASSWORD = 'Sup3r-secret-planted-9f1c';
export const APP_PASSWORD = 'App-secret-planted-41d7';

function findBinDir(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(base, versions[0], 'bin');
  }
  throw new Error('PostgreSQL is not installed: .ci/run installs the Debian package `postgresql`.');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the postgres user when we are root (initdb refuses root). */
function asPostgres(binDir: string, tool: string, args: string[]): void {
  const isRoot = userInfo().uid === 0;
  const [command, argv] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', join(binDir, tool), ...args]]
    : [join(binDir, tool), args];
  execFileSync(command, argv, { stdio: 'pipe' });
}

const running = new Set<() => void>();
const stopAll = (): void => {
  for (const stop of running) stop();
  running.clear();
};
process.on('exit', stopAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

export async function startTestPostgres(options: { maxConnections?: number } = {}): Promise<TestPostgres> {
  const binDir = findBinDir();
  const maxConnections = options.maxConnections ?? 100;
  const dir = mkdtempSync(join(tmpdir(), 'runbook-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
  if (userInfo().uid === 0) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  asPostgres(binDir, 'initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=scram-sha-256',
    `--pwfile=${pwfile}`,
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  rmSync(pwfile);
  const host = '127.0.0.1';
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    `-k ${dir}`,
    `-c listen_addresses=${host}`,
    `-c max_connections=${maxConnections}`,
    '-c superuser_reserved_connections=3',
    '-c fsync=off',
    '-c autovacuum=off',
  ].join(' ');
  asPostgres(binDir, 'pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-o',
    serverOptions,
    '-w',
    'start',
  ]);
  let stopped = false;
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    const isRoot = userInfo().uid === 0;
    spawnSync(
      isRoot ? 'runuser' : join(binDir, 'pg_ctl'),
      isRoot ? ['-u', 'postgres', '--', join(binDir, 'pg_ctl'), ...args] : args,
      {
        stdio: 'ignore',
      },
    );
    rmSync(dir, { recursive: true, force: true });
  };
  running.add(stopNow);

  const superuserUrl = `postgres://postgres:${encodeURIComponent(SUPERUSER_PASSWORD)}@${host}:${port}/postgres`;
  const appUrl = `postgres://app:${encodeURIComponent(APP_PASSWORD)}@${host}:${port}/appdb`;
  const clients: pg.Client[] = [];
  const connect = async (connectionString: string, applicationName: string): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString, application_name: applicationName });
    // A terminated backend surfaces as an 'error' event on an idle client: expected in these tests.
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  };
  const setup = await connect(superuserUrl, 'test-setup');
  await setup.query(`create role app login password '${APP_PASSWORD}'`);
  await setup.query('create database appdb owner app');

  return {
    host,
    port,
    binDir,
    superuserUrl,
    appUrl,
    maxConnections,
    admin: () => connect(superuserUrl, 'test-admin'),
    async openClients(count, applicationName, sql) {
      const opened = await Promise.all(Array.from({ length: count }, () => connect(appUrl, applicationName)));
      if (sql !== undefined) await Promise.all(opened.map((c) => c.query(sql)));
      return opened;
    },
    async stop() {
      // The server first: a client blocked on a lock would wait for ever to be told goodbye.
      stopNow();
      await Promise.allSettled(clients.map((c) => c.end()));
      running.delete(stopNow);
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const out = execFileSync('id', ['-u', 'postgres']).toString().trim();
  const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
  return { uid: Number(out), gid: Number(gid) };
}

/** Polls `check` until it returns a value (not undefined), at most `timeoutMs`: a bounded wait on a condition. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The environment a provider gets in tests: PATH for pg_dump, nothing of the developer's. */
export const pgTestEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  ...extra,
});

/** Collects what a step says, as the CLI would show it. */
export function recordOutput(): {
  lines: string[];
  out: { say(line: string): void; progress(why: string): void };
} {
  const lines: string[] = [];
  return { lines, out: { say: (line) => lines.push(line), progress: () => undefined } };
}

/**
 * Makes the simulator's port-forwards to the Postgres pods (and, with `logins`, exec of psql in them)
 * reach this real server, as kubectl's would. With `logins` the roles' passwords go along, and an
 * answer that echoes one fails.
 */
export async function forwardPostgresPodsTo(
  simUrl: string,
  db: TestPostgres,
  options: { logins?: boolean } = {},
): Promise<void> {
  const logins = options.logins === true ? { postgres: SUPERUSER_PASSWORD, app: APP_PASSWORD } : undefined;
  const response = await fetch(`${simUrl}/_sim/portforward`, {
    method: 'POST',
    body: JSON.stringify({
      namespace: 'default',
      labels: { app: 'postgres' },
      port: 5432,
      host: db.host,
      targetPort: db.port,
      ...(logins === undefined ? {} : { logins }),
    }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /_sim/portforward: ${response.status}`);
  if (text.includes(SUPERUSER_PASSWORD) || text.includes(APP_PASSWORD))
    throw new Error('POST /_sim/portforward echoed a password');
}
