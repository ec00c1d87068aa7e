// Turns what pg (SQLSTATE codes, socket errors) reports into one sentence an operator can act on,
// naming the server only as postgres://user:***@host:port/db.
import { RunbookError } from '../../engine/errors.js';

interface PgErrorLike {
  code?: string;
  message?: string;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

/** What to say when every slot is taken: the triage cannot read, but there are two ways in. */
export function tooManyClientsNext(user: string, inPod: string | undefined): string {
  const sql =
    'select application_name, client_addr, state, count(*) from pg_stat_activity group by 1, 2, 3 order by 4 desc';
  const inside =
    inPod === undefined
      ? `read from inside the Postgres pod: kubectl exec -it <postgres pod> -- psql -U postgres -c "${sql}"`
      : `read from inside the pod: kubectl ${inPod} -- psql -U postgres -c "${sql}"`;
  return user === 'postgres'
    ? `Even the superuser-reserved slots (superuser_reserved_connections) are taken: ${inside}; or restart it with runbook postgres-remount.`
    : `Connect as a superuser (e.g. --database-url postgres://postgres:***@host:5432/postgres): superuser_reserved_connections keeps slots for it that "${user}" cannot use. Or ${inside}.`;
}

export function postgresError(
  error: unknown,
  context: { server: string; user: string; doing: string; inPod?: string; forwardProblem?: string },
): RunbookError {
  if (error instanceof RunbookError) return error;
  const { server, user, doing } = context;
  const pgError = (error ?? {}) as PgErrorLike;
  const code = pgError.code ?? '';
  const message = (pgError.message ?? String(error)).replace(/\.$/, '');
  // A server that answered (a SQLSTATE with a severity) was reached, whatever the tunnel said.
  const fromServer = typeof (error as { severity?: unknown } | null)?.severity === 'string';
  if (!fromServer && context.forwardProblem !== undefined && context.forwardProblem !== '') {
    return new RunbookError(
      'database-unreachable',
      `Cannot reach Postgres through the port-forward while trying to ${doing}: ${context.forwardProblem}.`,
      {
        cause: error,
        next: 'Check the Postgres pod is Running, or give --database-url / DATABASE_URL instead.',
      },
    );
  }
  // pg's own words when the server asks for a password and none was given.
  if (/client password must be a string|password authentication .*no password/i.test(message)) {
    return new RunbookError(
      'access-refused',
      `Postgres at ${server} refused the login of "${user}": it asks for a password and none was given.`,
      {
        cause: error,
        next: 'Put the password in PGPASSWORD, a pgpass file (PGPASSFILE) or DATABASE_URL.',
      },
    );
  }
  if (code === '28P01' || code === '28000') {
    return new RunbookError(
      'access-refused',
      `Postgres at ${server} refused the login of "${user}": ${message}.`,
      {
        cause: error,
        next: 'Check the user and password in --database-url, DATABASE_URL or PGPASSWORD.',
      },
    );
  }
  if (code === '53300') {
    return new RunbookError(
      'database-full',
      `Postgres at ${server} refuses new connections: "${message}" (every slot of max_connections is taken).`,
      { cause: error, next: tooManyClientsNext(user, context.inPod) },
    );
  }
  if (code === '3D000') {
    return new RunbookError('invalid-parameter', `Postgres at ${server} says: ${message}.`, {
      cause: error,
      next: 'Name an existing database at the end of the URL (…/postgres).',
    });
  }
  if (code === '57P03' || NETWORK.has(code) || /timeout|terminated unexpectedly/i.test(message)) {
    return new RunbookError(
      'database-unreachable',
      `Cannot reach Postgres at ${server} while trying to ${doing} (${code === '' ? message : code}).`,
      {
        cause: error,
        next: 'Check the host and port, that Postgres runs, and your VPN; or let runbook port-forward to the pod.',
      },
    );
  }
  if (code === '57014') {
    return new RunbookError(
      'step-failed',
      `Postgres at ${server} cancelled a query that took too long while trying to ${doing}.`,
      {
        cause: error,
      },
    );
  }
  return new RunbookError(
    'step-failed',
    `Postgres at ${server} failed to ${doing}: ${message}${code === '' ? '' : ` (${code})`}.`,
    {
      cause: error,
    },
  );
}
