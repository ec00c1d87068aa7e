// How redis-recover reads Redis and its dependents: workloads found by label selector, why one is not
// healthy, and what Redis' pods say of their last death (OOMKilled) against its memory limit and request.
import {
  type ContainerResources,
  type Readers,
  type V1Pod,
  type WorkloadRef,
  type WorkloadView,
  podIsReady,
  podState,
  preconditionFailed,
} from '../../src/authoring.js';

export const kindName = (r: WorkloadRef): string => `${r.kind.toLowerCase()} ${r.namespace}/${r.name}`;

const pairs = (selector: string): string[] =>
  selector
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');

/** The workloads of a namespace whose pods the selector matches (its pairs are among their matchLabels). */
export function matching(views: readonly WorkloadView[], selector: string): WorkloadView[] {
  const wanted = pairs(selector);
  return views.filter((v) => {
    const have = new Set(pairs(v.selector));
    return wanted.length > 0 && wanted.every((p) => have.has(p));
  });
}

/** The one workload running Redis; none or several stop the run with what to pass instead. */
export function theRedis(views: readonly WorkloadView[], namespace: string, selector: string): WorkloadView {
  const found = matching(views, selector);
  if (found.length === 1 && found[0] !== undefined) return found[0];
  throw preconditionFailed(
    found.length === 0
      ? `No Deployment or StatefulSet in namespace ${namespace} runs pods matching ${selector}.`
      : `Several workloads match ${selector}: ${found.map((v) => kindName(v.ref)).join(', ')}.`,
    'Name Redis with --redis <label selector> (and --namespace), e.g. --redis app=redis.',
  );
}

/** The pods that are not Ready and not already being deleted. */
export const notReady = (pods: readonly V1Pod[]): V1Pod[] =>
  pods.filter((p) => p.metadata?.deletionTimestamp === undefined && !podIsReady(p));

/** Why a workload needs a restart, or undefined when every pod is Ready on its current template. */
export function unhealthy(view: WorkloadView, pods: readonly V1Pod[]): string | undefined {
  const bad = notReady(pods);
  if (view.ready >= view.desired && bad.length === 0) return undefined;
  const states = [...new Set(bad.map(podState))];
  return `${view.ready}/${view.desired} ready${states.length === 0 ? '' : `; ${states.join(', ')}`}`;
}

/** The restarts and last termination of each pod: `redis-… Running (CrashLoopBackOff), 5 restarts, last OOMKilled (exit 137)`. */
export function podLines(pods: readonly V1Pod[]): { lines: string[]; oomKilled: boolean } {
  let oomKilled = false;
  const lines = pods.slice(0, 5).map((pod) => {
    const statuses = pod.status?.containerStatuses ?? [];
    const restarts = statuses.reduce((sum, s) => sum + s.restartCount, 0);
    const last = statuses.find((s) => s.lastState?.terminated !== undefined)?.lastState?.terminated;
    if (last?.reason === 'OOMKilled') oomKilled = true;
    const lastText =
      last === undefined
        ? ''
        : `, last terminated: ${last.reason ?? 'unknown'} (exit ${String(last.exitCode)})`;
    return `  pod ${pod.metadata?.name ?? '?'}: ${podState(pod)}, ${String(restarts)} restart(s)${lastText}`;
  });
  if (pods.length > 5) lines.push(`  … and ${String(pods.length - 5)} more pod(s)`);
  return { lines, oomKilled };
}

export const memoryText = (r: ContainerResources): string =>
  `memory request ${r.requests?.memory ?? 'none'}, limit ${r.limits?.memory ?? 'none'}`;

/** What the OOM kill says about the limit, and what to do about it beyond this restart. */
export function oomNote(container: string, r: ContainerResources): string {
  const limit = r.limits?.memory;
  return limit === undefined
    ? `Redis (container ${container}) was OOMKilled with no memory limit: the node ran out of memory. A restart frees it for now; ` +
        'give Redis a limit and check the node with `runbook resource-limits-audit`.'
    : `Redis (container ${container}) was OOMKilled at its memory limit ${limit} (request ${r.requests?.memory ?? 'none'}): its data outgrew the limit. ` +
        'A restart frees the memory for now; review limits with `runbook resource-limits-audit`, or raise this one in this run with --memory-limit <quantity> (e.g. 1Gi).';
}

export async function readView(read: Readers, ref: WorkloadRef): Promise<WorkloadView> {
  const view = await read.kube.getWorkload(ref);
  if (view === undefined) throw preconditionFailed(`${kindName(ref)} no longer exists.`);
  return view;
}
