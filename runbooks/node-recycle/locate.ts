// The first step of node-recycle: the NotReady node, the Linode behind it, its LKE node id (for a
// recycle), and the volumes attached to it, which an unclean end can leave behind.
import { invalidParameter, preconditionFailed } from '../../src/engine/errors.js';
import type { PlanWith } from '../../src/engine/step-facts.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import { nodeIsReady } from '../../src/engine/vocabulary/index.js';
import type { RecycleParams } from '../node-recycle.js';

/** What the first step finds: whether there is anything to recycle, and the Linode behind the node. */
export interface Located {
  /** False when the node is Ready: nothing to recycle, every later step plans nothing. */
  readonly needed: boolean;
  readonly linodeId: number;
  readonly linodeLabel: string;
  readonly clusterId: number | undefined;
  readonly lkeNodeId: string | undefined;
}

export async function locateNode({
  params,
  read,
}: StepContext<RecycleParams, unknown>): Promise<PlanWith<Located>> {
  const name = params.node;
  const node = await read.kube.getNode(name);
  if (node === undefined) {
    const known = (await read.kube.listNodes()).map((n) => n.metadata?.name ?? '');
    throw invalidParameter(
      `Node ${name} does not exist; this cluster has ${known.join(', ') || 'no nodes'}.`,
    );
  }
  const linodeId = Number(/^linode:\/\/(\d+)$/.exec(node.spec?.providerID ?? '')?.[1]);
  const unused = { clusterId: undefined, lkeNodeId: undefined };
  if (nodeIsReady(node)) {
    return {
      actions: [],
      notes: [`node ${name} is Ready: nothing to recycle (to empty a healthy node, use node-drain)`],
      facts: { needed: false, linodeId, linodeLabel: name, ...unused },
    };
  }
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (!Number.isInteger(linodeId))
    throw preconditionFailed(`Node ${name} has no Linode providerID (${node.spec?.providerID ?? 'none'}).`);
  const linode = await read.linode.getInstance(linodeId);
  if (linode === undefined)
    throw preconditionFailed(
      `Linode ${linodeId} behind node ${name} no longer exists: a recycle may already be under way.`,
      `Watch it with kubectl get node ${name} -w, and run node-recycle again if it does not come back.`,
    );
  const notes = [
    `node ${name}: Ready=${ready?.status ?? 'unknown'}${ready?.reason === undefined ? '' : ` (${ready.reason})`}, on Linode ${linode.label} (${linodeId}), ${linode.status}`,
  ];
  let clusterId: number | undefined;
  let lkeNodeId: string | undefined;
  if (params.method === 'recycle') {
    clusterId = linode.lke_cluster_id ?? undefined;
    if (clusterId === undefined)
      throw preconditionFailed(
        `Linode ${linode.label} is not part of an LKE cluster, so LKE cannot recycle it.`,
        'Run node-recycle with --method reboot instead.',
      );
    const lke = await read.linode.findLkeNode(clusterId, linodeId);
    if (lke === undefined)
      throw preconditionFailed(
        `No node pool of LKE cluster ${clusterId} lists Linode ${linodeId}.`,
        'Run node-recycle with --method reboot instead, or recycle it from the Cloud Manager.',
      );
    lkeNodeId = lke.nodeId;
    notes.push(`LKE cluster ${clusterId}, pool ${lke.poolId}, node ${lke.nodeId} (${lke.status})`);
  }
  const volumes = (await read.linode.listVolumes()).filter((v) => v.linode_id === linodeId);
  if (volumes.length > 0)
    notes.push(
      `volumes attached to it: ${volumes.map((v) => v.label).join(', ')}${params.method === 'recycle' ? ' (the last step checks none is left behind)' : ''}`,
    );
  return {
    actions: [],
    notes,
    facts: { needed: true, linodeId, linodeLabel: linode.label, clusterId, lkeNodeId },
  };
}
