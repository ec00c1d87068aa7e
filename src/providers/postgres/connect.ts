// Where runs get their Postgres from: --database-url, else DATABASE_URL (environment or .env), else a
// port-forward to the Postgres pod that runbook opens itself through the Kubernetes API. Nothing
// connects until a step first reads, so a runbook that merely offers a backup costs nothing when
// there is no database to reach; connectPostgres() also proves the server answers, up front.
import { RunbookError } from '../../engine/errors.js';
import type { PostgresIdentity, PostgresReader, PostgresWriter } from '../../engine/ports.js';
import type { KubeClients } from '../kubernetes/connect.js';
import { type OpenForward, openPortForward } from './port-forward.js';
import { createPostgresReader } from './reader.js';
import { type PgEndpoint, PgSession, urlEndpoint } from './session.js';
import { type PgSettings, forwardedSettings, parseDatabaseUrl } from './settings.js';
import { createPostgresWriter } from './writer.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface PostgresConnectOptions {
  /** The process environment merged with .env (DATABASE_URL, PGUSER, PGPASSWORD, PGDATABASE, PATH). */
  readonly env: Env;
  /** --database-url: wins over DATABASE_URL. */
  readonly databaseUrl?: string;
  /** For the port-forward path, used only when no URL is given. */
  readonly kube?: KubeClients;
  /** The Postgres deployment to port-forward to (default: default/postgres). */
  readonly namespace?: string;
  readonly deployment?: string;
}

export interface PostgresConnection {
  readonly read: PostgresReader;
  readonly write: PostgresWriter;
  identity(): PostgresIdentity;
  /** Ends the connection and the port-forward, if any. */
  close(): Promise<void>;
}

function forwardEndpoint(kube: KubeClients, namespace: string, deployment: string, env: Env): PgEndpoint {
  let opening: Promise<{ forward: OpenForward; settings: PgSettings }> | undefined;
  let opened: { forward: OpenForward; settings: PgSettings } | undefined;
  return {
    settings() {
      opening ??= openPortForward(kube, { namespace, deployment }).then(
        (forward) => {
          const via = `port-forward to pod ${namespace}/${forward.pod}:${forward.podPort}`;
          opened = { forward, settings: forwardedSettings(forward.localPort, via, env) };
          return opened;
        },
        (error: unknown) => {
          opening = undefined;
          throw error;
        },
      );
      return opening.then((o) => o.settings);
    },
    known: () => opened?.settings,
    forwardProblem: () => opened?.forward.problem(),
    inPod: `-n ${namespace} exec -it deploy/${deployment}`,
    close: async () => {
      await opened?.forward.close();
    },
  };
}

function missingEndpoint(): PgEndpoint {
  const error = (): RunbookError =>
    new RunbookError(
      'database-unreachable',
      'No Postgres to connect to: no --database-url, no DATABASE_URL, and no cluster to port-forward through.',
      {
        next: 'Give --database-url postgres://user@host:5432/db (password in PGPASSWORD), or set DATABASE_URL in .env.',
      },
    );
  return {
    settings: () => Promise.reject(error()),
    known: () => undefined,
    forwardProblem: () => undefined,
    inPod: undefined,
    close: () => Promise.resolve(),
  };
}

/** A connection that opens on first use; throws now only for a malformed URL. */
export function createPostgresConnection(options: PostgresConnectOptions): PostgresConnection {
  const { env } = options;
  const namespace = options.namespace ?? 'default';
  const deployment = options.deployment ?? 'postgres';
  const fromEnv = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  let via: string;
  let endpoint: PgEndpoint;
  if (options.databaseUrl !== undefined) {
    via = '--database-url';
    endpoint = urlEndpoint(parseDatabaseUrl(options.databaseUrl, via, env));
  } else if (fromEnv !== undefined) {
    via = 'DATABASE_URL';
    endpoint = urlEndpoint(parseDatabaseUrl(fromEnv, via, env));
  } else if (options.kube !== undefined) {
    via = `port-forward to deployment ${namespace}/${deployment}`;
    endpoint = forwardEndpoint(options.kube, namespace, deployment, env);
  } else {
    via = 'nothing';
    endpoint = missingEndpoint();
  }
  const session = new PgSession(endpoint);
  const read = createPostgresReader(session, via, env, options.kube);
  return {
    read,
    write: createPostgresWriter(session, env, options.kube),
    identity: () => read.identity(),
    close: () => session.close(),
  };
}

/** Connects now and proves the server answers: a wrong password or a full server stops the run here. */
export async function connectPostgres(options: PostgresConnectOptions): Promise<PostgresConnection> {
  const connection = createPostgresConnection(options);
  try {
    await connection.read.databases();
  } catch (error) {
    await connection.close();
    throw error;
  }
  return connection;
}
