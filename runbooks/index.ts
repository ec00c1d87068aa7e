// The registry of runbooks: `runbook list` shows them in this order.
import type { AnyRunbook } from '../src/engine/runbook.js';
import { postgresBackup } from './postgres-backup.js';
import { postgresConnections } from './postgres-connections.js';
import { postgresRemount } from './postgres-remount.js';

export const RUNBOOKS: readonly AnyRunbook[] = [postgresRemount, postgresConnections, postgresBackup];

export function findRunbook(id: string): AnyRunbook | undefined {
  return RUNBOOKS.find((r) => r.id === id);
}
