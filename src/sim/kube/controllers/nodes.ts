// Node facts shared by the scheduler, the kubelet and the node lifecycle controller: whether a
// node is healthy (no node-not-ready fault, its Linode running), its Linode id, its address.
import type { Fault, KubeObject } from '../../world.js';
import type { ControllerContext } from './runtime.js';

export function linodeIdOf(node: KubeObject | undefined): number | undefined {
  const providerId = (node?.spec as { providerID?: string } | undefined)?.providerID;
  const m = providerId === undefined ? null : /^linode:\/\/(\d+)$/.exec(providerId);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

export function internalIp(node: KubeObject | undefined): string | undefined {
  const addresses = (node?.status as { addresses?: Array<{ type: string; address: string }> } | undefined)
    ?.addresses;
  return addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** Whether the node's kubelet is up: no node-not-ready fault, and its Linode (if known) is running. */
export function createNodeHealth(ctx: ControllerContext): (node: KubeObject) => boolean {
  const seen = new Set<number>();
  /** node-not-ready faults (untilReboot) whose Linode has been seen stopped since: they no longer hold. */
  const rebooted = new WeakSet<Fault>();
  return (node) => {
    const id = linodeIdOf(node);
    const instance = id === undefined ? undefined : ctx.linode.instance(id);
    const running = instance === undefined || instance.status === 'running';
    // Seen even while a fault holds the node: once it is deleted, the node must not look healthy.
    if (id !== undefined && instance !== undefined) seen.add(id);
    const held = ctx.faults.list().some((f) => {
      if (f.kind !== 'node-not-ready' || f.node !== node.metadata.name) return false;
      if (f.untilReboot !== true) return true;
      if (!running) rebooted.add(f);
      return !rebooted.has(f);
    });
    if (held) return false;
    if (id === undefined) return true;
    if (instance === undefined) return !seen.has(id);
    seen.add(id);
    return instance.status === 'running';
  };
}

interface Condition {
  type: string;
  status: string;
}

/** What the API shows: Ready condition True and no NoSchedule taint from the lifecycle controller. */
export function isNodeReady(node: KubeObject): boolean {
  const conditions = (node.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isSchedulable(node: KubeObject): boolean {
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true) return false;
  const taints = (node.spec as { taints?: Array<{ effect?: string }> } | undefined)?.taints ?? [];
  return !taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
}
