// Fields computed when an object is read rather than written, so no periodic timer is needed:
// a Ready node's condition heartbeats read as "now", as a kubelet posting status would make them.
import type { KubeObject } from '../world.js';
import type { ResourceDef } from './registry.js';

interface Condition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
}

export function present(def: ResourceDef, object: KubeObject, now: string): KubeObject {
  if (def.kind !== 'Node') return object;
  const conditions = (object.status as { conditions?: Condition[] } | undefined)?.conditions;
  if (conditions === undefined) return object;
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return object;
  for (const c of conditions) if (c.lastHeartbeatTime !== undefined) c.lastHeartbeatTime = now;
  return object;
}
