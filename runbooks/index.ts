// The registry of runbooks: `runbook list` shows them in this order.
import type { AnyRunbook } from '../src/engine/runbook.js';
import { postgresRemount } from './postgres-remount.js';

export const RUNBOOKS: readonly AnyRunbook[] = [postgresRemount];

export function findRunbook(id: string): AnyRunbook | undefined {
  return RUNBOOKS.find((r) => r.id === id);
}
