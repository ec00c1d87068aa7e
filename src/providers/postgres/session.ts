// One connection, opened on first use and reopened if it breaks. A single pg.Client, never a pool:
// in a surge the tool must take exactly one slot of max_connections, and must not add to the storm.
import pg from 'pg';
import { postgresError } from './errors.js';
import { type PgSettings, databaseOf, redactedUrl } from './settings.js';

export interface PgEndpoint {
  /** Resolves where to connect (for a port-forward, opens it first). */
  settings(): Promise<PgSettings>;
  /** The settings if already known (always, for a URL; once opened, for a port-forward). */
  known(): PgSettings | undefined;
  /** Why the port-forward failed, if it did: the real reason behind a dropped connection. */
  forwardProblem(): string | undefined;
  /** How to run psql inside the pod, e.g. `-n default exec -it deploy/postgres`, when known. */
  readonly inPod: string | undefined;
  close(): Promise<void>;
}

/** A server named by its URL: nothing to open first (the source of --database-url, a restore's target). */
export function urlEndpoint(settings: PgSettings): PgEndpoint {
  return {
    settings: () => Promise.resolve(settings),
    known: () => settings,
    forwardProblem: () => undefined,
    inPod: undefined,
    close: () => Promise.resolve(),
  };
}

const CONNECT_TIMEOUT_MS = 10_000;
const STATEMENT_TIMEOUT_MS = 15_000;

export class PgSession {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;

  constructor(readonly endpoint: PgEndpoint) {}

  /** Runs one statement; any failure becomes a RunbookError saying what was being done. */
  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[], doing: string): Promise<R[]> {
    const client = await this.connect(doing);
    try {
      const result = await client.query<R>(sql, params);
      return result.rows;
    } catch (error) {
      throw await this.fail(error, doing);
    }
  }

  async settings(): Promise<PgSettings> {
    return this.endpoint.settings();
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.endpoint.close();
  }

  private async fail(error: unknown, doing: string): Promise<Error> {
    const settings = await this.endpoint.settings().catch(() => undefined);
    const forwardProblem = this.endpoint.forwardProblem();
    return postgresError(error, {
      server: settings === undefined ? 'the Postgres pod' : redactedUrl(settings),
      user: settings?.url.username ?? 'postgres',
      doing,
      ...(this.endpoint.inPod === undefined ? {} : { inPod: this.endpoint.inPod }),
      ...(forwardProblem === undefined ? {} : { forwardProblem }),
    });
  }

  private async connect(doing: string): Promise<pg.Client> {
    if (this.client !== undefined) return this.client;
    this.connecting ??= this.open(doing).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(doing: string): Promise<pg.Client> {
    let client: pg.Client | undefined;
    try {
      const settings = await this.endpoint.settings();
      client = new pg.Client({
        host: settings.url.hostname,
        port: Number(settings.url.port),
        user: decodeURIComponent(settings.url.username),
        database: databaseOf(settings),
        ...(settings.password === undefined ? {} : { password: settings.password }),
        ...sslOf(settings.url),
        application_name: 'runbook',
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        statement_timeout: STATEMENT_TIMEOUT_MS,
        query_timeout: STATEMENT_TIMEOUT_MS + 5_000,
      });
      const opened = client;
      opened.on('error', () => {
        if (this.client === opened) this.client = undefined;
      });
      opened.on('end', () => {
        if (this.client === opened) this.client = undefined;
      });
      await opened.connect();
      this.client = opened;
      return opened;
    } catch (error) {
      await client?.end().catch(() => undefined);
      throw await this.fail(error, doing);
    }
  }
}

/** sslmode from the URL, as libpq reads it (pg_dump gets the same URL, so both agree). */
function sslOf(url: URL): { ssl?: boolean | { rejectUnauthorized: boolean } } {
  const mode = url.searchParams.get('sslmode');
  if (mode === null || mode === 'disable' || mode === 'allow' || mode === 'prefer') return {};
  if (mode === 'require') return { ssl: { rejectUnauthorized: false } };
  return { ssl: true };
}
