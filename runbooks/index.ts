// The registry of runbooks: `runbook list` shows them in this order.
import type { AnyRunbook } from '../src/engine/runbook.js';
import { postgresBackup } from './postgres-backup.js';
import { postgresConnections } from './postgres-connections.js';
import { postgresRemount } from './postgres-remount.js';
import { coreServicesRestart } from './core-services-restart.js';
import { nodeBalancerCheck } from './nodebalancer-check.js';
import { resourceLimitsAudit } from './resource-limits-audit.js';
import { volumeReattach } from './volume-reattach.js';
import { nodeDrain } from './node-drain.js';
import { nodeUncordon } from './node-uncordon.js';
import { nodeRecycle } from './node-recycle.js';
import { redisRecover } from './redis-recover.js';
import { postgresMajorUpgrade } from './postgres-major-upgrade.js';

export const RUNBOOKS: readonly AnyRunbook[] = [
  postgresRemount,
  postgresConnections,
  postgresBackup,
  coreServicesRestart,
  nodeBalancerCheck,
  resourceLimitsAudit,
  volumeReattach,
  nodeDrain,
  nodeUncordon,
  nodeRecycle,
  redisRecover,
  postgresMajorUpgrade,
];

export function findRunbook(id: string): AnyRunbook | undefined {
  return RUNBOOKS.find((r) => r.id === id);
}
