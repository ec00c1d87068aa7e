// What node-recycle does once the node is back: pick the node that took its load (rebalanced as on
// 2021-01-10), uncordon it after its drain, and look for volumes left on the old Linode (2021-07-11).
import { nodeIsReady, uncordon } from '../../src/engine/vocabulary/index.js';
import type { Check } from '../../src/engine/runbook.js';
import type { BarePlan, PlanWith, Prefixed } from '../../src/engine/step-facts.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import type { RecycleParams } from '../node-recycle.js';
import type { Located } from './locate.js';

type Ctx<F> = StepContext<RecycleParams, F>;

/** The node that took the load, when there is one to rebalance from (2021-01-10). */
export interface Chosen {
  readonly loadedNode: string | undefined;
}

/** Whom a drain of this run cordoned (undefined: the node was cordoned already, or not drained). */
type Cordoned<Prefix extends string> = Prefixed<Prefix, { readonly cordoned: string | undefined }>;

/** Why the rebalance does nothing in this run, or undefined when it should happen. */
export function noRebalance({ params, facts }: Ctx<Located & Chosen>): string | undefined {
  if (facts.needed === false) return 'the node was Ready: no load to move back';
  if (params.rebalance === 'skip') return 'no rebalance (--rebalance skip)';
  if (facts.loadedNode === undefined) return 'no other Ready node took its load';
  return undefined;
}

export async function chooseLoaded({
  params,
  facts,
  read,
}: Ctx<Located>): Promise<BarePlan | PlanWith<{ loadedNode: string }>> {
  if (!facts.needed || params.rebalance === 'skip')
    return {
      actions: [],
      notes: [params.rebalance === 'skip' ? 'no rebalance (--rebalance skip)' : 'nothing to rebalance'],
    };
  const recycled = params.node;
  if (params.loadedNode !== undefined) {
    const node = await read.kube.getNode(params.loadedNode);
    if (node === undefined || params.loadedNode === recycled)
      return {
        actions: [],
        notes: [`--loaded-node ${params.loadedNode} is not another node of this cluster: no rebalance`],
      };
    return {
      actions: [],
      facts: { loadedNode: params.loadedNode },
      notes: [`rebalance from ${params.loadedNode} (as given)`],
    };
  }
  let best: { name: string; pods: number } | undefined;
  for (const node of await read.kube.listNodes()) {
    const name = node.metadata?.name ?? '';
    if (name === recycled || !nodeIsReady(node) || node.spec?.unschedulable === true) continue;
    const pods = (await read.kube.listPodsOnNode(name)).filter(
      (p) => !p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet'),
    ).length;
    if (best === undefined || pods > best.pods) best = { name, pods };
  }
  if (best === undefined) return { actions: [], notes: ['no other Ready node: nothing to rebalance'] };
  return {
    actions: [],
    facts: { loadedNode: best.name },
    notes: [
      `${best.name} carries the most pods (${best.pods}): it took the load, and is drained onto ${recycled} now`,
    ],
  };
}

/** The recycled node back in service: uncordoned, if this run cordoned it before the recycle. */
export async function planReopen({
  params,
  facts,
  read,
}: Ctx<Located & Cordoned<'drain-'>>): Promise<BarePlan> {
  if (!facts.needed) return { actions: [], notes: ['the node was Ready: nothing to reopen'] };
  const name = params.node;
  const node = await read.kube.getNode(name);
  if (node?.spec?.unschedulable !== true) return { actions: [], notes: [`${name} takes new pods`] };
  if (facts['drain-cordoned'] !== name)
    return {
      actions: [],
      notes: [`${name} was cordoned before this run: left cordoned (node-uncordon opens it)`],
    };
  return { actions: [uncordon(name)] };
}

export async function planUncordonLoaded(
  ctx: Ctx<Located & Chosen & Cordoned<'rebalance-'>>,
): Promise<BarePlan> {
  const why = noRebalance(ctx);
  if (why !== undefined) return { actions: [], notes: [why] };
  const cordoned = ctx.facts['rebalance-cordoned'];
  const name = ctx.facts.loadedNode;
  const node = name === undefined ? undefined : await ctx.read.kube.getNode(name);
  if (name === undefined || cordoned !== name || node?.spec?.unschedulable !== true)
    return {
      actions: [],
      notes: [`${name ?? 'the loaded node'} was not cordoned by this run: left as it is`],
    };
  return { actions: [uncordon(name)] };
}

export async function checkVolumesLeft({ params, facts, read }: Ctx<Located>): Promise<Check> {
  if (!facts.needed) return { ok: true, detail: 'the node was Ready: nothing was recycled' };
  const node = await read.kube.getNode(params.node);
  if (!nodeIsReady(node)) return { ok: false, detail: `${params.node} is not Ready` };
  const old = facts.linodeId;
  if (params.method === 'reboot') return { ok: true, detail: `${params.node} is Ready after the reboot` };
  const left = (await read.linode.listVolumes()).filter((v) => v.linode_id === old);
  if (left.length === 0)
    return {
      ok: true,
      detail: `${params.node} is Ready on ${node?.spec?.providerID ?? 'a new Linode'}; no volume was left on the old Linode ${old}`,
    };
  return {
    ok: false,
    detail:
      `Linode still shows ${left.map((v) => v.label).join(', ')} attached to the old Linode ${old}, as on 2021-07-11: ` +
      'pods using them will fail with FailedMount. Next: runbook volume-reattach (it scales them down, detaches at Linode and scales them back).',
  };
}
