// Where the Postgres connection comes from (--database-url, DATABASE_URL, or a port-forward to the pod),
// split into a URL without its password and the password alone, so only libpq's PGPASSWORD and pg's
// own config ever see the secret, and everything printed shows postgres://user:***@host:port/db.
import { RunbookError } from '../../engine/errors.js';

export interface PgSettings {
  /** postgres://user@host:port/db?params: no password, safe to pass to pg_dump as --dbname. */
  readonly url: URL;
  readonly password: string | undefined;
  /** How the connection is made, for the header and error messages. */
  readonly via: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** postgres://user:***@host:port/db: what is printed wherever a server is named. */
export function redactedUrl(settings: Pick<PgSettings, 'url' | 'password'>): string {
  const { url } = settings;
  const user = url.username === '' ? '' : `${url.username}${settings.password === undefined ? '' : ':***'}@`;
  return `postgres://${user}${url.host}${url.pathname}`;
}

/** The same server, another database (pg_dump of each database; the scratch restore). */
export function withDatabase(settings: PgSettings, database: string): PgSettings {
  const url = new URL(settings.url);
  url.pathname = `/${encodeURIComponent(database)}`;
  return { ...settings, url };
}

export function databaseOf(settings: PgSettings): string {
  return decodeURIComponent(settings.url.pathname.replace(/^\//, '')) || 'postgres';
}

/** Parses a postgres:// URL; the message never repeats the URL (it may hold a password). */
export function parseDatabaseUrl(text: string, via: string, env: Env): PgSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RunbookError(
      'invalid-parameter',
      `${via} is not a URL: write it as postgres://user:password@host:5432/database.`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new RunbookError(
      'invalid-parameter',
      `${via} must start with postgres:// (it starts with ${url.protocol}//).`,
    );
  }
  if (url.hostname === '') {
    throw new RunbookError('invalid-parameter', `${via} names no host: write postgres://user@host:5432/db.`);
  }
  const password = url.password === '' ? env.PGPASSWORD : decodeURIComponent(url.password);
  const clean = new URL(url);
  clean.password = '';
  if (clean.username === '') clean.username = env.PGUSER ?? 'postgres';
  if (clean.port === '') clean.port = '5432';
  if (clean.pathname === '' || clean.pathname === '/') clean.pathname = `/${env.PGDATABASE ?? 'postgres'}`;
  return { url: clean, password: password === '' ? undefined : password, via };
}

/** Settings for a local end of a port-forward: user, password and database from PGUSER/PGPASSWORD/PGDATABASE. */
export function forwardedSettings(port: number, via: string, env: Env): PgSettings {
  const url = new URL(`postgres://127.0.0.1:${port}/`);
  url.username = env.PGUSER ?? 'postgres';
  url.pathname = `/${encodeURIComponent(env.PGDATABASE ?? 'postgres')}`;
  const password = env.PGPASSWORD;
  return { url, password: password === '' ? undefined : password, via };
}
