// Evictions for a drain: at most `concurrency` eviction requests in flight; a pod its budget refuses
// (429) steps aside without holding a slot and is retried as soon as that budget allows again
// (watched), never later than kubectl's 5 s, until the deadline; then it is reported, naming the budget.
import { DeadlineExceeded, startDeadline, withDeadline } from '../../engine/deadline.js';
import { abortableDelay } from '../../engine/delay.js';
import type { EvictionBlocked, MutationOptions, PodRef } from '../../engine/ports.js';
import { watchBudgets, type BudgetWatch } from './budget-watch.js';
import type { KubeClients } from './connect.js';
import { kubeError, kubeRetryVerdict, statusOf } from './errors.js';

/** The longest a refused eviction waits for its budget's watch before trying again anyway. */
const BUDGET_FALLBACK_MS = 5_000;
/** However little of the window is left, one eviction request gets this long to be answered. */
const REQUEST_FLOOR_MS = 10_000;

interface Refusal {
  readonly reason: string;
  /** The budget named by the API server (`The disruption budget <name> needs …`), if it did. */
  readonly budget: string | undefined;
}

/** The sentence the API server gives for a refused eviction: the budget and what it needs. */
function refusal(error: unknown): Refusal {
  const status = statusOf(error);
  const body = (error as { body?: unknown }).body;
  let causes: Array<{ message?: string }> = [];
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as {
      details?: { causes?: Array<{ message?: string }> };
    };
    causes = parsed.details?.causes ?? [];
  } catch {
    causes = [];
  }
  const named = causes.map((c) => c.message ?? '').filter((m) => m !== '');
  const budget = named.map((m) => /disruption budget (\S+)/.exec(m)?.[1]).find((b) => b !== undefined);
  return {
    reason: named.length > 0 ? named.join('; ') : (status?.message ?? 'refused by a PodDisruptionBudget'),
    budget,
  };
}

const isGone = (error: unknown): boolean => {
  const status = statusOf(error);
  // 404: already gone; 409 on a uid precondition: this incarnation is gone, a replacement is not ours.
  return status?.code === 404 || (status?.code === 409 && /precondition|UID/i.test(status.message ?? ''));
};

/** How one attempt ended: evicted (or already gone), or refused by a budget. */
type Attempt =
  { readonly done: true } | { readonly done: false; readonly refused: Refusal; readonly since: number };

export async function evictPods(
  clients: KubeClients,
  pods: readonly PodRef[],
  limits: { readonly concurrency: number; readonly timeoutMs: number },
  options: MutationOptions,
): Promise<EvictionBlocked[]> {
  const { core } = clients;
  const deadline = Date.now() + limits.timeoutMs;
  const dryRun = options.dryRun === true;
  const stop = new AbortController();
  let budgets: BudgetWatch | undefined;
  const blocked: EvictionBlocked[] = [];

  /** One eviction request, retried in its slot only for transient failures and rate limits. */
  async function attempt(pod: PodRef): Promise<Attempt> {
    let delay = 250;
    let transient = 0;
    for (;;) {
      const since = budgets?.seq() ?? 0;
      try {
        // An API server that never answers must not hold the drain past its window.
        await withDeadline(Math.max(deadline - Date.now(), REQUEST_FLOOR_MS), () =>
          core.createNamespacedPodEviction({
            name: pod.name,
            namespace: pod.namespace,
            ...(dryRun ? { dryRun: 'All' } : {}),
            body: {
              apiVersion: 'policy/v1',
              kind: 'Eviction',
              metadata: { name: pod.name, namespace: pod.namespace },
              deleteOptions: { preconditions: { uid: pod.uid }, ...(dryRun ? { dryRun: ['All'] } : {}) },
            },
          }),
        );
        return { done: true };
      } catch (error) {
        if (error instanceof DeadlineExceeded) {
          const reason = `the API server did not answer the eviction within ${Math.round(error.ms / 1000)}s`;
          return { done: false, refused: { reason, budget: undefined }, since };
        }
        if (isGone(error) && !dryRun) return { done: true };
        const code = statusOf(error)?.code;
        if (code === 429) {
          const refused = refusal(error);
          // A budget says not now: its pods elsewhere must become Ready first. Without a budget
          // named, the server itself asks to slow down: back off in the slot.
          if (refused.budget !== undefined || dryRun || Date.now() + delay > deadline)
            return { done: false, refused, since };
        } else if (kubeRetryVerdict(error).retryable && transient < 4) {
          transient += 1;
        } else {
          throw kubeError(error, clients.identity.server, `evict pod ${pod.namespace}/${pod.name}`);
        }
        await abortableDelay(delay, stop.signal);
        if (stop.signal.aborted) return { done: true };
        delay = Math.min(delay * 2, 5_000);
      }
    }
  }

  /** Waits, out of any slot, until the pod's budget allows; false when the deadline passed first. */
  async function budgetAllows(pod: PodRef, refused: Refusal, since: number): Promise<boolean> {
    if (dryRun || Date.now() >= deadline) return false;
    budgets ??= watchBudgets(clients);
    const left = deadline - Date.now();
    // At the deadline the pod tries once more, and is reported if its budget still refuses.
    const until = startDeadline(left, { parent: stop.signal });
    try {
      await budgets
        .allows(pod.namespace, refused.budget, since, Math.min(BUDGET_FALLBACK_MS, left), until.signal)
        .catch(() => abortableDelay(Math.min(BUDGET_FALLBACK_MS, left), until.signal));
    } finally {
      until.dispose();
    }
    return !stop.signal.aborted;
  }

  const ready = [...pods];
  let running = 0;
  let waiting = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const changed = (): void => {
    wake?.();
    wake = undefined;
  };

  /** Out of any slot until the pod's budget allows, then back in line; reported at the deadline. */
  const park = (pod: PodRef, refused: Refusal, since: number): void => {
    waiting += 1;
    void budgetAllows(pod, refused, since).then((again) => {
      waiting -= 1;
      if (again) ready.push(pod);
      else if (!stop.signal.aborted) blocked.push({ pod, reason: refused.reason });
      changed();
    });
  };

  const start = (pod: PodRef): void => {
    running += 1;
    void attempt(pod).then(
      (result) => {
        running -= 1;
        if (!result.done) park(pod, result.refused, result.since);
        changed();
      },
      (error: unknown) => {
        running -= 1;
        failure ??= error instanceof Error ? error : kubeError(error, clients.identity.server, 'evict pods');
        stop.abort();
        changed();
      },
    );
  };

  try {
    while (failure === undefined && (ready.length > 0 || running > 0 || waiting > 0)) {
      while (ready.length > 0 && running < Math.max(1, limits.concurrency)) {
        const pod = ready.shift();
        if (pod !== undefined) start(pod);
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stop.abort();
    budgets?.close();
  }
  if (failure !== undefined) throw failure;
  return blocked;
}
