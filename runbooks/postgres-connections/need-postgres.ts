// The Postgres reader of a run, or a sentence saying why there is none.
import { RunbookError } from '../../src/engine/errors.js';
import type { PostgresReader, Readers } from '../../src/engine/ports.js';

export function needPostgres(read: Readers): PostgresReader {
  if (read.postgres !== undefined) return read.postgres;
  throw new RunbookError('database-unreachable', 'This run has no connection to Postgres.', {
    next: 'Give --database-url or DATABASE_URL, or run against a cluster whose Postgres pod runbook can port-forward to.',
  });
}
