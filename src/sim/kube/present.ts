// Fields computed when an object is read rather than written, so no periodic timer is needed:
// a Ready node's condition heartbeats and its kubelet's Lease renewTime read as "now", as a
// kubelet posting status and renewing its lease every few seconds would make them.
import type { KubeObject } from '../world.js';
import { NODE_LEASE_NAMESPACE } from './controllers/node-reports.js';
import { formatMicroTime } from './ids.js';
import type { ResourceDef } from './registry.js';

interface Condition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
}

function isReady(node: KubeObject | undefined): boolean {
  const conditions = (node?.status as { conditions?: Condition[] } | undefined)?.conditions;
  return conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

export function present(
  def: ResourceDef,
  object: KubeObject,
  now: string,
  nodeNamed: (name: string) => KubeObject | undefined = () => undefined,
): KubeObject {
  if (def.kind === 'Lease' && object.metadata.namespace === NODE_LEASE_NAMESPACE) {
    if (!isReady(nodeNamed(object.metadata.name))) return object;
    return { ...object, spec: { ...(object.spec as object), renewTime: formatMicroTime(new Date(now)) } };
  }
  if (def.kind !== 'Node') return object;
  const conditions = (object.status as { conditions?: Condition[] } | undefined)?.conditions;
  if (conditions === undefined) return object;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return object;
  for (const c of conditions) if (c.lastHeartbeatTime !== undefined) c.lastHeartbeatTime = now;
  return object;
}
