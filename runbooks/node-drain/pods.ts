// kubectl drain's filters (k8s-sim.md §2), as data: which pods on a node are evicted, which are
// skipped (DaemonSet, mirror), which are already terminating (the drain is not done until they are
// gone) and which need a flag (emptyDir, no controller).
import type { V1LabelSelector, V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import type { EvictTarget } from '../../src/engine/vocabulary/index.js';

export interface Classified {
  readonly evict: EvictTarget[];
  readonly skipped: string[];
  /** Pods already being deleted (not DaemonSet or mirror pods): still on the node until they go. */
  readonly terminating: V1Pod[];
  /** Pods with emptyDir data, lost when they are evicted. */
  readonly emptyDir: string[];
  /** Pods no controller recreates: evicted, they are gone for good. */
  readonly unreplicated: string[];
  /** Budgets that can never allow their pod's eviction (they need every pod they have). */
  readonly deadlocked: string[];
}

const nameOf = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? '?'}`;

export function matchesSelector(
  selector: V1LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (selector === undefined) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpressions = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        return false;
    }
  });
  return byLabels && byExpressions;
}

export function budgetOf(
  pod: V1Pod,
  budgets: readonly V1PodDisruptionBudget[],
): V1PodDisruptionBudget | undefined {
  return budgets.find(
    (b) =>
      b.metadata?.namespace === pod.metadata?.namespace &&
      matchesSelector(b.spec?.selector, pod.metadata?.labels ?? {}),
  );
}

export function budgetText(budget: V1PodDisruptionBudget): string {
  const s = budget.status;
  return `PodDisruptionBudget ${budget.metadata?.namespace ?? ''}/${budget.metadata?.name ?? ''} allows ${s?.disruptionsAllowed ?? 0} disruption(s) now (${s?.currentHealthy ?? 0} healthy, needs ${s?.desiredHealthy ?? 0} of ${s?.expectedPods ?? 0})`;
}

/** The budget needs every pod it has: the replacement starts only after the eviction, so never. */
const neverAllows = (budget: V1PodDisruptionBudget): boolean => {
  const s = budget.status;
  return (
    (s?.disruptionsAllowed ?? 0) === 0 &&
    (s?.expectedPods ?? 0) > 0 &&
    (s?.expectedPods ?? 0) <= (s?.desiredHealthy ?? 0)
  );
};

export function ownerText(pod: V1Pod): string | undefined {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (owner === undefined) return undefined;
  if (owner.kind === 'ReplicaSet') {
    const hash = pod.metadata?.labels?.['pod-template-hash'];
    const deployment = hash === undefined ? undefined : owner.name.replace(new RegExp(`-${hash}$`), '');
    return deployment === undefined || deployment === owner.name
      ? `replicaset ${owner.name}`
      : `deployment ${deployment}`;
  }
  return `${owner.kind.toLowerCase()} ${owner.name}`;
}

export function classifyPods(pods: readonly V1Pod[], budgets: readonly V1PodDisruptionBudget[]): Classified {
  const result: Classified = {
    evict: [],
    skipped: [],
    terminating: [],
    emptyDir: [],
    unreplicated: [],
    deadlocked: [],
  };
  for (const pod of pods) {
    const name = nameOf(pod);
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    const mirror = pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined;
    if (pod.metadata?.deletionTimestamp !== undefined) {
      if (owner?.kind === 'DaemonSet' || mirror) result.skipped.push(`${name}: already terminating`);
      else result.terminating.push(pod);
      continue;
    }
    if (owner?.kind === 'DaemonSet' && !terminal) {
      result.skipped.push(`${name}: DaemonSet ${owner.name} runs one on every node`);
      continue;
    }
    if (mirror) {
      result.skipped.push(`${name}: mirror pod of a static pod (the kubelet owns it)`);
      continue;
    }
    if (!terminal && (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined))
      result.emptyDir.push(name);
    if (!terminal && owner === undefined) result.unreplicated.push(name);
    const budget = terminal ? undefined : budgetOf(pod, budgets);
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    // An unready pod is evictable whatever its budget says; a Ready one its budget needs never is.
    if (budget !== undefined && ready && neverAllows(budget))
      result.deadlocked.push(`${name} (${budgetText(budget)})`);
    result.evict.push({
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      uid: pod.metadata?.uid ?? '',
      owner: ownerText(pod) ?? 'no controller',
      budget: budget === undefined ? undefined : budgetText(budget),
    });
  }
  return result;
}

/** The pod's labels without the per-revision ones: its siblings and replacements match them too. */
export function siblingSelector(labels: Record<string, string> | undefined): string {
  const perPod = new Set([
    'pod-template-hash',
    'controller-revision-hash',
    'statefulset.kubernetes.io/pod-name',
    'apps.kubernetes.io/pod-index',
  ]);
  return Object.entries(labels ?? {})
    .filter(([k]) => !perPod.has(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
