// A delete can ask for a server-side dry run in its body (DeleteOptions.dryRun, as `kubectl delete
// --dry-run=server` sends it), which the request log's path and query do not show: the Kubernetes
// handler marks such a request here, and the log records it as a dry run.
import type { IncomingMessage } from 'node:http';

const dryRuns = new WeakSet<IncomingMessage>();

export function markDryRun(req: IncomingMessage): void {
  dryRuns.add(req);
}

export const isMarkedDryRun = (req: IncomingMessage): boolean => dryRuns.has(req);
