// What PodDisruptionBudgets allow, pushed by one watch: an eviction a budget refused is retried the
// moment that budget allows a disruption again, instead of on a timer (kubectl drain waits 5 s).
import { abortableDelay } from '../../engine/delay.js';
import type { KubeClients } from './connect.js';

interface BudgetEvent {
  metadata?: { namespace?: string; name?: string };
  status?: { disruptionsAllowed?: number };
}

interface Waiter {
  readonly key: string;
  readonly resolve: () => void;
  /** Restarts the fallback timer: the watch just showed it is alive for this budget. */
  readonly rearm: () => void;
}

export interface BudgetWatch {
  /** A counter that moves on every budget event: read it before sending an eviction. */
  seq(): number;
  /**
   * Resolves once budget `namespace/name` allows a disruption (the first `disruptionsAllowed`
   * waiters of that budget, in order), at once when it already did after `since`; any budget of the
   * namespace when `name` is undefined. Also resolves when the watch reconnects (what it missed is
   * unknown), after `fallbackMs` without news of that budget, or when `signal` aborts: the caller
   * then simply tries again.
   */
  allows(
    namespace: string,
    name: string | undefined,
    since: number,
    fallbackMs: number,
    signal: AbortSignal,
  ): Promise<void>;
  close(): void;
}

const PATH = '/apis/policy/v1/poddisruptionbudgets';

export function watchBudgets(clients: KubeClients): BudgetWatch {
  const stop = new AbortController();
  const known = new Map<string, { allowed: number; seq: number }>();
  let waiters: Waiter[] = [];
  let counter = 0;
  let started = false;

  const wake = (match: (w: Waiter) => boolean, limit: number): void => {
    const woken: Waiter[] = [];
    for (const w of waiters) if (woken.length < limit && match(w)) woken.push(w);
    waiters = waiters.filter((w) => !woken.includes(w));
    for (const w of woken) w.resolve();
  };

  const onEvent = (type: string, object: BudgetEvent): void => {
    if (type !== 'ADDED' && type !== 'MODIFIED') return;
    const namespace = object.metadata?.namespace ?? '';
    const key = `${namespace}/${object.metadata?.name ?? ''}`;
    const allowed = object.status?.disruptionsAllowed ?? 0;
    counter += 1;
    known.set(key, { allowed, seq: counter });
    if (allowed > 0) {
      wake((w) => w.key === key, allowed);
      wake((w) => w.key === `${namespace}/*`, Infinity);
    }
    for (const w of waiters) if (w.key === key) w.rearm();
  };

  const run = async (): Promise<void> => {
    const watch = new clients.lib.Watch(clients.config);
    let backoffMs = 250;
    while (!stop.signal.aborted) {
      const before = counter;
      await new Promise<void>((resolve) => {
        let controller: AbortController | undefined;
        const abort = (): void => {
          controller?.abort();
          resolve();
        };
        stop.signal.addEventListener('abort', abort, { once: true });
        const ended = (): void => {
          stop.signal.removeEventListener('abort', abort);
          resolve();
        };
        watch
          .watch(PATH, {}, (type: string, object: BudgetEvent) => onEvent(type, object), ended)
          .then((c) => {
            controller = c;
            if (stop.signal.aborted) c.abort();
          })
          .catch(ended);
      });
      if (stop.signal.aborted) return;
      if (counter > before) {
        // A stream that worked has ended: what changed since is unknown, so every waiter tries again.
        wake(() => true, Infinity);
        backoffMs = 250;
      } else {
        // No stream (refused, unreachable): the waiters' own timers retry; try again, more slowly.
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
      await abortableDelay(backoffMs, stop.signal);
    }
  };

  return {
    seq: () => counter,
    allows(namespace, name, since, fallbackMs, signal) {
      const key = `${namespace}/${name ?? '*'}`;
      const state = name === undefined ? undefined : known.get(key);
      if (state !== undefined && state.seq > since && state.allowed > 0) return Promise.resolve();
      if (!started) {
        started = true;
        run().catch(() => undefined);
      }
      return new Promise<void>((resolve) => {
        let timer = setTimeout(done, fallbackMs);
        const rearm = (): void => {
          clearTimeout(timer);
          timer = setTimeout(done, fallbackMs);
        };
        const waiter: Waiter = { key, resolve: done, rearm };
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          waiters = waiters.filter((w) => w !== waiter);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
        waiters.push(waiter);
      });
    },
    close() {
      stop.abort();
      wake(() => true, Infinity);
    },
  };
}
