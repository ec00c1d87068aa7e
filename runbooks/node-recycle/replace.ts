// The step that brings the node back: an LKE recycle (a new Linode) or a reboot of its Linode, then
// a watch until the node is Ready, explained by the Linode event's progress.
import {
  type NodeReadyWait,
  nodeReady,
  rebootLinode,
  recycleLkeNode,
} from '../../src/engine/vocabulary/index.js';
import { RunbookError } from '../../src/engine/errors.js';
import type { BarePlan } from '../../src/engine/step-facts.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import type { RecycleParams } from '../node-recycle.js';
import type { Located } from './locate.js';

const running = (status: string | undefined): boolean => status === 'scheduled' || status === 'started';

export async function planReplace({
  params,
  facts,
  read,
}: StepContext<RecycleParams, Located>): Promise<BarePlan> {
  if (!facts.needed) return { actions: [], notes: ['the node is Ready: nothing to recycle'] };
  const node = params.node;
  const linodeId = facts.linodeId;
  const timeoutMs = params.readyTimeout * 1000;
  if (params.method === 'reboot') {
    const linodeEvent = { entityType: 'linode', entityId: linodeId, action: 'linode_reboot' };
    const wait: NodeReadyWait = nodeReady({ node, linodeEvent, timeoutMs });
    const [event] = await read.linode.recentEvents('linode', linodeId, 'linode_reboot');
    if (running(event?.status))
      return {
        actions: [],
        waits: [wait],
        notes: [`a reboot is already under way (event ${event?.id ?? ''})`],
      };
    return { actions: [rebootLinode(linodeId, facts.linodeLabel, node)], waits: [wait] };
  }
  const clusterId = facts.clusterId;
  const nodeId = facts.lkeNodeId;
  if (clusterId === undefined || nodeId === undefined)
    throw new RunbookError('internal', 'the LKE node was not found by the first step');
  const linodeEvent = { entityType: 'lkecluster', entityId: clusterId, action: 'lke_node_recycle' };
  const wait: NodeReadyWait = nodeReady({ node, replacing: linodeId, linodeEvent, timeoutMs });
  const current = await read.kube.getNode(node);
  if (current?.spec?.providerID !== undefined && current.spec.providerID !== `linode://${linodeId}`)
    return {
      actions: [],
      waits: [wait],
      notes: [`${node} already runs on a new Linode (${current.spec.providerID})`],
    };
  const [event] = await read.linode.recentEvents('lkecluster', clusterId, 'lke_node_recycle');
  if (running(event?.status))
    return {
      actions: [],
      waits: [wait],
      notes: [`a recycle is already under way (event ${event?.id ?? ''})`],
    };
  return { actions: [recycleLkeNode(clusterId, nodeId, node, linodeId)], waits: [wait] };
}
