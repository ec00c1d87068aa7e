// The steps of a drain (inspect, cordon, evict, summary), shared by node-drain and node-recycle:
// kubectl drain's semantics, with the budget that blocks named, bounded work and a global timeout.
import type { V1Pod } from '@kubernetes/client-node';
import {
  type EvictTarget,
  cordon,
  evict,
  latestWarning,
  nodeDrained,
  nodeIsReady,
  podState,
} from '../../src/engine/vocabulary/index.js';
import { RunbookError, invalidParameter, preconditionFailed } from '../../src/engine/errors.js';
import type { Readers } from '../../src/engine/ports.js';
import { type StepContext, defineSteps } from '../../src/engine/typed-steps.js';
import type { PodRef } from '../../src/engine/node-ports.js';
import { classifyPods, siblingSelector } from './pods.js';
import { notFinished, stuckTerminating } from './stuck.js';

import type { DrainParams } from './params.js';

export type { DrainParams };

/** One evicted pod, with the labels its replacement will carry (for the summary). */
export interface Moved extends EvictTarget {
  readonly selector: string;
}

/**
 * How a drain is used: P the runbook's parameters, N the facts of the steps before it that `node`
 * and `notNeeded` read. A runbook that drains two nodes includes the steps twice, each under its
 * own prefix (`.include(drainSteps(…), { prefix: 'drain-' })`): step ids and facts get the prefix.
 */
export interface DrainOptions<P extends DrainParams, N> {
  /** The node this drain empties. */
  node(ctx: StepContext<P, N>): string | undefined;
  /** `continue`: pods a NotReady kubelet cannot finish end the wait (a node about to be recycled). */
  readonly whenStuck: 'continue' | 'fail';
  /** `skip`: pods whose budget can never allow their eviction stay (a rebalance), instead of a stop. */
  readonly deadlock: 'refuse' | 'skip';
  /** `skip`: pods with emptyDir data or no controller stay, whatever the flags (a rebalance). */
  readonly flagged?: 'params' | 'skip';
  /** Why this drain is not needed in this run (e.g. the node is Ready again); undefined: it is. */
  notNeeded?(ctx: StepContext<P, N>): string | undefined;
}

/** --node is a required parameter; only a node an earlier step chose (a rebalance) can be missing. */
function needNode(name: string | undefined): string {
  if (name === undefined) throw new RunbookError('internal', 'no earlier step chose a node to drain');
  return name;
}

/** The steps of a drain: inspect, cordon, evict, summary. */
export function drainSteps<P extends DrainParams = DrainParams, N = unknown>(options: DrainOptions<P, N>) {
  const nodeOf = (ctx: StepContext<P, N>): string => needNode(options.node(ctx));
  const idle = (ctx: StepContext<P, N>): string | undefined => options.notNeeded?.(ctx);

  return defineSteps<P, N>()
    .step({
      id: 'inspect',
      title: 'Look at the node and what runs on it',
      explain:
        'Lists the pods on the node (paged) and sorts them as kubectl drain does: DaemonSet and mirror pods are ' +
        'skipped, pods with emptyDir data need --empty-dir-data delete, pods no controller recreates need ' +
        '--unreplicated delete. Names the PodDisruptionBudget of each pod, and stops before changing anything ' +
        'when a budget can never allow an eviction. Changes nothing.',
      async plan(ctx) {
        const { params, read } = ctx;
        const why = idle(ctx);
        if (why !== undefined)
          return {
            actions: [],
            notes: [why],
            facts: { moved: [], terminating: [] },
          };
        const name = nodeOf(ctx);
        const node = await read.kube.getNode(name);
        if (node === undefined) {
          const known = (await read.kube.listNodes()).map((n) => n.metadata?.name ?? '');
          throw invalidParameter(
            `Node ${name} does not exist; this cluster has ${known.join(', ') || 'no nodes'}.`,
          );
        }
        const pods = await read.kube.listPodsOnNode(name);
        const c = classifyPods(pods, await read.kube.listPodDisruptionBudgets());
        const flagged: string[] = [];
        const keep = new Set<string>();
        if (options.flagged === 'skip') {
          for (const pod of [...c.emptyDir, ...c.unreplicated]) keep.add(pod);
        } else if (params.emptyDirData === 'refuse' && c.emptyDir.length > 0)
          flagged.push(
            `${c.emptyDir.join(', ')} keep emptyDir data, lost on eviction (--empty-dir-data delete)`,
          );
        if (options.flagged !== 'skip' && params.unreplicated === 'refuse' && c.unreplicated.length > 0)
          flagged.push(
            `${c.unreplicated.join(', ')} have no controller to recreate them (--unreplicated delete)`,
          );
        if (flagged.length > 0)
          throw preconditionFailed(
            `Not draining ${name}: ${flagged.join('; ')}.`,
            'Pass the flag named for each, after checking nothing there is needed, then run again. Nothing was changed.',
          );
        const notes = [
          `node ${name}: ${nodeIsReady(node) ? 'Ready' : 'NOT Ready'}, ${node.spec?.unschedulable === true ? 'cordoned' : 'schedulable'}, ${pods.length} pods`,
          ...c.skipped.map((s) => `skip ${s}`),
        ];
        // Already terminating: the drain is done only once they are gone. Those their kubelet will
        // finish are waited for; those nothing will finish are named, and the last step fails on them.
        const awaited: PodRef[] = [];
        for (const pod of c.terminating) {
          const stuck = stuckTerminating(pod, name, nodeIsReady(node));
          const ref = {
            namespace: pod.metadata?.namespace ?? '',
            name: pod.metadata?.name ?? '',
            uid: pod.metadata?.uid ?? '',
          };
          if (stuck === undefined) awaited.push(ref);
          notes.push(
            stuck === undefined
              ? `wait for ${ref.namespace}/${ref.name}: already terminating`
              : `${stuck.pod} is stuck terminating: ${stuck.why}`,
          );
        }
        let evictable = c.evict.filter((p) => !keep.has(`${p.namespace}/${p.name}`));
        notes.push(...[...keep].map((p) => `left in place: ${p} (emptyDir data, or no controller)`));
        if (c.deadlocked.length > 0) {
          if (options.deadlock === 'refuse')
            throw preconditionFailed(
              `Not draining ${name}: evicting ${c.deadlocked.join('; ')} can never be allowed, because its replacement only starts after the eviction.`,
              'Scale that workload up by one (or relax its budget) so a replacement is Ready elsewhere first, then run again. Nothing was changed.',
            );
          const stuck = new Set(c.deadlocked.map((d) => d.split(' ')[0]));
          evictable = evictable.filter((p) => !stuck.has(`${p.namespace}/${p.name}`));
          notes.push(...c.deadlocked.map((d) => `left in place: ${d}, which never allows its eviction`));
        }
        notes.push(
          ...evictable.map(
            (p) =>
              `evict ${p.namespace}/${p.name} (${p.owner})${p.budget === undefined ? '' : `: ${p.budget}`}`,
          ),
        );
        const byUid = new Map(pods.map((p) => [p.metadata?.uid ?? '', p]));
        const moved: Moved[] = evictable.map((p) => ({
          ...p,
          selector: siblingSelector(byUid.get(p.uid)?.metadata?.labels),
        }));
        return {
          actions: [],
          notes,
          facts: { moved, terminating: awaited },
        };
      },
    })
    .step({
      id: 'cordon',
      title: 'Cordon the node',
      explain:
        'Marks the node unschedulable (kubectl cordon), so nothing evicted lands back on it. Already cordoned: nothing to do.',
      async plan(ctx) {
        const why = idle(ctx);
        if (why !== undefined) return { actions: [], notes: [why] };
        const name = nodeOf(ctx);
        const node = await ctx.read.kube.getNode(name);
        if (node?.spec?.unschedulable === true)
          return { actions: [], notes: [`${name} is already cordoned`] };
        return { actions: [cordon(name)], facts: { cordoned: name } };
      },
    })
    .step({
      id: 'evict',
      title: 'Evict its pods, PodDisruptionBudgets respected',
      explain:
        'Evicts the pods found, at most --concurrency at a time, through the eviction API so budgets are ' +
        'respected. A budget that refuses (429) is retried, naming it, until --timeout; then the step stops and ' +
        'the node stays cordoned. Waits by watch until the evicted pods are gone from the node.',
      async plan(ctx) {
        const { params, facts, read } = ctx;
        const { moved, terminating: already } = facts;
        if (moved.length === 0 && already.length === 0)
          return { actions: [], notes: [idle(ctx) ?? 'no pod to evict'] };
        const name = nodeOf(ctx);
        const present = new Set(
          (await read.kube.listPodsOnNode(name))
            .filter((p) => p.metadata?.deletionTimestamp === undefined)
            .map((p) => p.metadata?.uid),
        );
        const pods = moved
          .filter((p) => present.has(p.uid))
          .map(({ selector: _selector, ...target }) => target);
        const timeoutMs = params.timeout * 1000;
        return {
          actions:
            pods.length === 0 ? [] : [evict(name, pods, { concurrency: params.concurrency, timeoutMs })],
          notes: pods.length === 0 ? [`no pod left to evict on ${name}`] : [],
          waits: [
            nodeDrained({
              node: name,
              pods: [...moved, ...already],
              timeoutMs,
              whenStuck: options.whenStuck,
            }),
          ],
        };
      },
    })
    .step({
      id: 'summary',
      title: 'Say what moved where',
      explain:
        'For each evicted pod, where its replacement runs now (or why it is not running). Fails while a pod ' +
        'evicted or already terminating is still on the node, naming what holds it (a finalizer, a NotReady ' +
        'kubelet) and what to do: a drain that leaves one is not done. Changes nothing.',
      plan: () => Promise.resolve({ actions: [] }),
      verify: async (ctx) => {
        const why = idle(ctx);
        if (why !== undefined) return { ok: true, detail: why };
        return summarise(ctx.read, nodeOf(ctx), ctx.facts.moved, options.whenStuck);
      },
    });
}

async function whereNow(read: Readers, moved: Moved, from: string): Promise<string> {
  const siblings: V1Pod[] =
    moved.selector === '' ? [] : await read.kube.listPods(moved.namespace, moved.selector);
  const others = siblings.filter((p) => p.metadata?.uid !== moved.uid && p.spec?.nodeName !== from);
  if (others.length === 0) return `${moved.namespace}/${moved.name} (${moved.owner}): no replacement yet`;
  const parts: string[] = [];
  for (const p of others.slice(0, 3)) {
    const node = p.spec?.nodeName;
    if (node !== undefined && node !== '') parts.push(`${p.metadata?.name ?? '?'} on ${node}`);
    else {
      const warning = latestWarning(
        await read.kube.listEventsFor(moved.namespace, 'Pod', p.metadata?.name ?? ''),
      );
      parts.push(
        `${p.metadata?.name ?? '?'} ${podState(p)}${warning === undefined ? '' : ` (${warning.reason ?? ''}: ${warning.message ?? ''})`}`,
      );
    }
  }
  return `${moved.namespace}/${moved.name} (${moved.owner}) → ${parts.join(', ')}`;
}

/**
 * What moved where; and a failure, naming each pod and what to do, while a pod evicted or already
 * terminating is still on the node: a drain that leaves one there is not done. Only a drain of a
 * NotReady node about to be recycled (`continue`) leaves them, since the recycle ends them.
 */
async function summarise(
  read: Readers,
  node: string,
  moved: readonly Moved[],
  whenStuck: 'continue' | 'fail',
) {
  const uids = new Set(moved.map((m) => m.uid));
  const pods = await read.kube.listPodsOnNode(node);
  const terminating = new Set(classifyPods(pods, []).terminating.map((p) => p.metadata?.uid ?? ''));
  const left = pods.filter((p) => uids.has(p.metadata?.uid ?? '') || terminating.has(p.metadata?.uid ?? ''));
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const m of moved) {
    if (seen.has(m.selector)) continue;
    seen.add(m.selector);
    lines.push(await whereNow(read, m, node));
  }
  const stillThere = left.map(
    (p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''} ${podState(p)}`,
  );
  const moves = lines.length === 0 ? `nothing to move off ${node}` : `moved: ${lines.join('; ')}`;
  if (left.length === 0) return { ok: true, detail: moves };
  const nodeReady = nodeIsReady(await read.kube.getNode(node));
  if (whenStuck === 'continue' && !nodeReady)
    return { ok: true, detail: `${moves}; still on ${node}: ${stillThere.join(', ')}` };
  const stuck = left.map((p) => stuckTerminating(p, node, nodeReady) ?? notFinished(p, node));
  throw new RunbookError(
    'step-failed',
    `Node ${node} is not drained: ${stuck.map((s) => `${s.pod} is still on it, ${s.why}`).join('; ')}.`,
    {
      next: `${stuck.map((s) => `For ${s.pod}: ${s.remedy}.`).join(' ')} The node stays cordoned.`,
    },
  );
}
