// Runs a Wait: watches (Kubernetes) or polls with backoff (Linode has no watch) until the state is
// reached, the wait is provably stuck, or its timeout passes; reports why it is still waiting.
import { abortableDelay } from './delay.js';
import { type Deadline, startDeadline } from './deadline.js';
import { RunbookError } from './errors.js';
import { type WaitClock, realClock } from './wait-clock.js';
import type { Readers, WatchedCollection } from './ports.js';
import type { Wait, WaitOutcome } from './waits.js';
import { evaluateWait } from './wait-evaluate.js';

/** One look at the world: either the wait is over, or here is why it is not. */
export type Evaluation =
  | { readonly outcome: WaitOutcome }
  /** `soon`: the provider says it is nearly done (a Linode event well under way): look again shortly. */
  | { readonly waiting: string; readonly soon?: boolean };

export interface WaitRunOptions {
  readonly signal: AbortSignal;
  readonly onProgress: (why: string) => void;
  /** The clock the wait's bound is measured on; real time by default (see wait-clock.ts). */
  readonly clock?: WaitClock;
}

/** What a wait watches for changes; Linode has no watch, so its waits poll. */
function watchedBy(wait: Wait): readonly WatchedCollection[] | 'poll' {
  switch (wait.kind) {
    case 'k8s.pods-gone':
      return [
        { kind: 'pods', namespace: wait.namespace, labelSelector: wait.labelSelector },
        { kind: 'events', namespace: wait.namespace },
        { kind: 'nodes' },
      ];
    case 'k8s.deployment-ready':
      return [
        { kind: 'deployments', namespace: wait.namespace },
        { kind: 'pods', namespace: wait.namespace },
        { kind: 'events', namespace: wait.namespace },
      ];
    case 'k8s.volume-released':
      return [{ kind: 'volumeattachments' }];
    case 'k8s.node-drained':
      return [{ kind: 'pods-on-node', node: wait.node }, { kind: 'nodes' }];
    case 'k8s.node-ready':
      // The node is watched; the Linode event's progress is read at each change (Linode has no watch).
      return [{ kind: 'nodes' }];
    case 'linode.volume-detached':
      return 'poll';
    case 'k8s.workload-ready': {
      const { namespace, kind } = wait.target;
      const workloads =
        kind === 'Deployment' ? 'deployments' : kind === 'DaemonSet' ? 'daemonsets' : 'statefulsets';
      return [
        { kind: workloads, namespace },
        { kind: 'pods', namespace },
        { kind: 'events', namespace },
      ];
    }
  }
}

export async function runWait(wait: Wait, read: Readers, options: WaitRunOptions): Promise<WaitOutcome> {
  const watched = watchedBy(wait);
  const evaluate = (): Promise<Evaluation> => evaluateWait(wait, read);
  return watched === 'poll'
    ? pollUntil(wait.timeoutMs, evaluate, options)
    : watchUntil(wait.timeoutMs, watched, evaluate, read, options);
}

function timeoutError(deadline: Deadline, lastWhy: string): RunbookError {
  const next =
    'Look at the reason above, fix what blocks it, then run the runbook again: finished steps plan nothing.';
  return new RunbookError('wait-timeout', `Gave up after ${Math.round(deadline.ms / 1000)}s: ${lastWhy}`, {
    next,
  });
}

/** How the wait ended early: the run's own signal (Ctrl-C, a lost lock) or the bound. */
function endedEarly(deadline: Deadline, options: WaitRunOptions, lastWhy: string): unknown {
  return deadline.ended === 'parent' ? options.signal.reason : timeoutError(deadline, lastWhy);
}

async function watchUntil(
  timeoutMs: number,
  collections: readonly WatchedCollection[],
  evaluate: () => Promise<Evaluation>,
  read: Readers,
  options: WaitRunOptions,
): Promise<WaitOutcome> {
  const deadline = startDeadline(timeoutMs, { parent: options.signal, clock: options.clock ?? realClock });
  const signal = deadline.signal;
  let lastWhy = 'nothing observed yet';
  let running = false;
  let again = false;
  let settled = false;

  return new Promise<WaitOutcome>((resolve, reject) => {
    const finish = (result: { outcome?: WaitOutcome; error?: unknown }): void => {
      if (settled) return;
      settled = true;
      deadline.dispose();
      if (result.outcome !== undefined) resolve(result.outcome);
      else reject(result.error instanceof Error ? result.error : new Error(String(result.error)));
    };
    const check = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const evaluation = await evaluate();
          if (settled) return;
          if ('outcome' in evaluation) {
            finish({ outcome: evaluation.outcome });
            return;
          }
          if (evaluation.waiting !== lastWhy) options.onProgress(evaluation.waiting);
          lastWhy = evaluation.waiting;
        } while (again && !signal.aborted);
      } catch (error) {
        finish({ error });
      } finally {
        running = false;
      }
    };
    const onEnd = (): void => finish({ error: endedEarly(deadline, options, lastWhy) });
    // A run already interrupted ends its deadline at once, before anyone listens.
    if (signal.aborted) {
      onEnd();
      return;
    }
    signal.addEventListener('abort', onEnd, { once: true });
    read.kube
      .watchChanges(collections, () => void check(), signal)
      .catch((error: unknown) => {
        if (!signal.aborted) finish({ error });
      });
  });
}

async function pollUntil(
  timeoutMs: number,
  evaluate: () => Promise<Evaluation>,
  options: WaitRunOptions,
): Promise<WaitOutcome> {
  const clock = options.clock ?? realClock;
  const deadline = startDeadline(timeoutMs, { parent: options.signal, clock });
  // No watch at Linode: look often while the operation is young (a detach takes seconds, and each
  // look late is time lost), then every few seconds.
  let delay = 100;
  let lastWhy = 'nothing observed yet';
  try {
    for (;;) {
      if (deadline.signal.aborted) throw endedEarly(deadline, options, lastWhy);
      // A Linode API that never answers must not hold the wait past its bound.
      const evaluation = await deadline.race(evaluate()).catch((error: unknown) => {
        throw deadline.signal.aborted ? endedEarly(deadline, options, lastWhy) : error;
      });
      if ('outcome' in evaluation) return evaluation.outcome;
      if (evaluation.waiting !== lastWhy) options.onProgress(evaluation.waiting);
      lastWhy = evaluation.waiting;
      const left = deadline.remainingMs();
      if (left <= 0) throw timeoutError(deadline, lastWhy);
      await abortableDelay(Math.min(evaluation.soon === true ? 100 : delay, left), deadline.signal, clock);
      delay = Math.min(delay * 1.5, deadline.elapsedMs() < 60_000 ? 500 : 3000);
    }
  } finally {
    deadline.dispose();
  }
}
