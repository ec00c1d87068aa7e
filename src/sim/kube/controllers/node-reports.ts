// What a kubelet reports about its node besides conditions: its Lease in kube-node-lease (renewed
// on read, see present.ts) and the NodeSchedulable / NodeNotSchedulable events a cordon causes.
import type { KubeObject } from '../../world.js';
import { ApiError } from '../errors.js';
import { formatMicroTime } from '../ids.js';
import { mustFindByKind } from '../registry.js';
import { isNodeReady } from './nodes.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef } from './runtime.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet's --node-lease-duration-seconds default. */
const LEASE_SECONDS = 40;

const unschedulable = (node: KubeObject): boolean =>
  (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;

export function createNodeReporter(ctx: ControllerContext): Controller {
  const { api } = ctx;
  const leaseDef = mustFindByKind('coordination.k8s.io/v1', 'Lease');
  /** What each kubelet last saw of spec.unschedulable (kubelet's lastNodeUnschedulable, false at start). */
  const lastUnschedulable = new Map<string, boolean>();

  const ensureLease = (node: KubeObject): void => {
    const name = node.metadata.name;
    if (api.store.get(leaseDef, NODE_LEASE_NAMESPACE, name) !== undefined) return;
    if (api.store.get(defs.namespace, undefined, NODE_LEASE_NAMESPACE) === undefined) return;
    try {
      api.create(leaseDef, NODE_LEASE_NAMESPACE, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name,
          namespace: NODE_LEASE_NAMESPACE,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
        },
        spec: {
          holderIdentity: name,
          leaseDurationSeconds: LEASE_SECONDS,
          renewTime: formatMicroTime(ctx.clock.now()),
        },
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
    }
  };

  const reconcile = (name: string): void => {
    const node = api.store.get(defs.node, undefined, name);
    if (node === undefined) {
      lastUnschedulable.delete(name);
      return;
    }
    // A kubelet that is down neither renews nor reports.
    if (!isNodeReady(node)) return;
    ensureLease(node);
    const now = unschedulable(node);
    if ((lastUnschedulable.get(name) ?? false) === now) {
      lastUnschedulable.set(name, now);
      return;
    }
    lastUnschedulable.set(name, now);
    const status = now ? 'NodeNotSchedulable' : 'NodeSchedulable';
    // The kubelet's events name its node by name, uid included (kubectl describe node asks for both).
    const involved = { ...node, metadata: { ...node.metadata, uid: name } };
    ctx.events.record(involved, 'Normal', status, `Node ${name} status is now: ${status}`, {
      component: 'kubelet',
      host: name,
    });
  };

  const queue = createWorkQueue(ctx, 'node-reports', reconcile);
  return {
    name: 'node-reports',
    onStoreEvent(event) {
      if (isDef(event, defs.node)) queue.add(event.object.metadata.name);
    },
  };
}
