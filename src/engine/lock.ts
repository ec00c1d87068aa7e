// The cluster lock: a mutating run holds a Lease, renews it while it runs and releases it at the
// end, so a second operator learns who is already recovering instead of colliding with them.
// Breaking a stale lock is an explicit, confirmed act.
import type { LeaseAction, LockHolder } from './vocabulary/index.js';
import { DeadlineExceeded, withDeadline } from './deadline.js';
import { RunbookError, isRunbookError } from './errors.js';
import { type WaitClock, realClock } from './wait-clock.js';
import { executeAction } from './executor.js';
import type { LeaseView, Readers, Writers } from './ports.js';

export const LOCK_NAME = 'runbook-lock';
export const LOCK_SECONDS = 60;
/** How often the lock is renewed, and how long each lock request may take before it counts as failed. */
const RENEW_MS = (LOCK_SECONDS / 3) * 1000;

/** A lock request bounded by RENEW_MS: an API server that never answers is a failed request, not a hang. */
async function bounded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await withDeadline(RENEW_MS, work);
  } catch (error) {
    if (!(error instanceof DeadlineExceeded)) throw error;
    throw new RunbookError(
      'cluster-unreachable',
      `The Kubernetes API did not answer while this run ${what} the cluster lock (${Math.round(RENEW_MS / 1000)}s).`,
      { cause: error },
    );
  }
}

export interface LockOptions {
  readonly read: Readers;
  readonly write: Writers;
  readonly holder: LockHolder;
  readonly namespace: string;
  /** Take over a lock whose holder stopped renewing it. */
  readonly breakStale: boolean;
  /** Asks the operator to confirm taking over `stale`; false (or a refusal it throws) leaves it. */
  confirmBreak(stale: LockHolder, lastRenewed: Date | undefined): Promise<boolean>;
  /** Someone took the lock away while this run held it, or it could not be renewed for a whole lease. */
  onLost(error: RunbookError): void;
  /** What renewals are scheduled and judged on; real time by default (the Lease's own time). */
  readonly clock?: WaitClock;
}

const secondsAgo = (time: Date | undefined): string =>
  time === undefined ? 'never' : `${Math.max(0, Math.round((Date.now() - time.getTime()) / 1000))}s ago`;

function isStale(view: LeaseView): boolean {
  const renewed = view.renewTime ?? view.acquireTime;
  return renewed === undefined || renewed.getTime() + view.durationSeconds * 1000 < Date.now();
}

function heldBy(view: LeaseView, holder: LockHolder, stale: boolean): RunbookError {
  const since = view.acquireTime === undefined ? '' : ` since ${view.acquireTime.toISOString()}`;
  return new RunbookError(
    'locked',
    `${holder.identity} holds the cluster lock for ${holder.runbook} (run ${holder.runId})${since}, last renewed ${secondsAgo(view.renewTime)}.`,
    {
      next: stale
        ? `That run stopped renewing it: if it is dead, take the lock over with --break-lock=${holder.identity}.`
        : `Someone is recovering this cluster right now: talk to them. If their run dies, the lock goes stale after ${view.durationSeconds}s.`,
    },
  );
}

export class ClusterLock {
  private cancelRenewal: (() => void) | undefined;
  private released = false;
  private readonly clock: WaitClock;
  /** When the Lease was last written by this run, on `clock`. */
  private renewedAt: number;

  private constructor(private readonly options: LockOptions) {
    this.clock = options.clock ?? realClock;
    this.renewedAt = this.clock.now();
  }

  static async acquire(options: LockOptions): Promise<ClusterLock> {
    const lock = new ClusterLock(options);
    const view = await bounded('read', () => options.read.kube.getLease(options.namespace, LOCK_NAME));
    const holder = view?.holder;
    const mine = holder !== undefined && holder.runId === options.holder.runId;
    if (view !== undefined && holder !== undefined && !mine) {
      const stale = isStale(view);
      if (!stale || !options.breakStale) throw heldBy(view, holder, stale);
      if (!(await options.confirmBreak(holder, view.renewTime))) {
        throw new RunbookError('declined', `Left the cluster lock with ${holder.identity}: not confirmed.`);
      }
    }
    try {
      await lock.write('acquire', view?.resourceVersion);
    } catch (error) {
      if (!isRunbookError(error) || error.code !== 'locked') throw error;
      const winner = await bounded('read', () => options.read.kube.getLease(options.namespace, LOCK_NAME));
      if (winner?.holder === undefined) throw error;
      // Our own create, retried after its answer was lost, finds the lock already ours.
      if (winner.holder.runId !== options.holder.runId) throw heldBy(winner, winner.holder, false);
    }
    lock.renewedAt = lock.clock.now();
    lock.scheduleRenewal();
    return lock;
  }

  private async write(op: LeaseAction['op'], resourceVersion: string | undefined): Promise<void> {
    const action: LeaseAction = {
      kind: 'k8s.lease',
      op,
      namespace: this.options.namespace,
      name: LOCK_NAME,
      holder: this.options.holder,
      durationSeconds: LOCK_SECONDS,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
    };
    await bounded(op === 'acquire' ? 'took' : op === 'renew' ? 'renewed' : 'released', () =>
      executeAction(action, this.options.write),
    );
  }

  /** The next renewal, RENEW_MS after the last one ended (each is bounded, so they never pile up). */
  private scheduleRenewal(): void {
    if (this.released) return;
    this.cancelRenewal = this.clock.after(RENEW_MS, () => {
      this.cancelRenewal = undefined;
      void this.renew().then((keep) => {
        if (keep) this.scheduleRenewal();
      });
    });
  }

  /** One renewal; false once the lock is lost (onLost told) or released. */
  private async renew(): Promise<boolean> {
    if (this.released) return false;
    try {
      const view = await bounded('renewed', () =>
        this.options.read.kube.getLease(this.options.namespace, LOCK_NAME),
      );
      if (view?.holder?.runId !== this.options.holder.runId) {
        throw new RunbookError(
          'locked',
          `The cluster lock was taken over${view?.holder === undefined ? '' : ` by ${view.holder.identity} (run ${view.holder.runId})`} while this run held it.`,
          {
            next: 'Stopped before the next action, so two people do not recover the same cluster at once: talk to them.',
          },
        );
      }
      await this.write('renew', view.resourceVersion);
      this.renewedAt = this.clock.now();
      return true;
    } catch (error) {
      if (this.released) return false;
      if (isRunbookError(error) && error.code === 'locked') {
        this.options.onLost(error);
        return false;
      }
      // A blip of the API server: the next renewal tries again, within the lease. Once the lease has
      // run out unrenewed, another operator may take the lock: this run must not act any more.
      if (this.clock.now() - this.renewedAt > LOCK_SECONDS * 1000) {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.onLost(
          new RunbookError(
            'cluster-unreachable',
            `The cluster lock could not be renewed for over ${LOCK_SECONDS}s (${reason}), so another operator may hold it now.`,
            {
              cause: error,
              next: 'Stopped before the next action. Check the API server, then who holds the lock (runbook history).',
            },
          ),
        );
        return false;
      }
      return true;
    }
  }

  private stopRenewing(): void {
    this.cancelRenewal?.();
    this.cancelRenewal = undefined;
  }

  /** Gives the lock back if this run still holds it; never fails the run. */
  async release(): Promise<void> {
    this.stopRenewing();
    if (this.released) return;
    this.released = true;
    try {
      const view = await bounded('released', () =>
        this.options.read.kube.getLease(this.options.namespace, LOCK_NAME),
      );
      if (view?.holder?.runId === this.options.holder.runId)
        await this.write('release', view.resourceVersion);
    } catch {
      // A lock left behind goes stale after LOCK_SECONDS; nothing to do at the end of a run.
    }
  }
}
