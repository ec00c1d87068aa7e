// The Postgres provider: triage reads, terminations and verified backups over a real connection.
// `pg` (node-postgres), not `postgres`: one explicit pg.Client takes exactly one slot in a surge (no
// pool to size), its errors carry the SQLSTATE (28P01, 53300) each bad day is told apart by, and it
// connects to any host:port, so the port-forward's local listener needs nothing special.
export {
  connectPostgres,
  createPostgresConnection,
  type PostgresConnectOptions,
  type PostgresConnection,
} from './connect.js';
export { checkWritableDirectory } from './backup.js';
export { redactedUrl } from './settings.js';
