// Account events as the real API runs them: one id moves scheduled → started (percent_complete
// rising) → finished, on the simulated clock, with one-shot timers only.
import type { EventEntity, EventRecord, Store } from './store.js';

export interface EventPlan {
  durationMs: number;
  /** Side effects at a fraction (0..1) of the duration, e.g. a Linode's status change mid-way. */
  milestones?: ReadonlyArray<{ at: number; run: () => void }>;
  /** Runs when the event finishes, before listeners hear of it. */
  onFinish?: () => void;
  /** Runs instead of onFinish when a linode-event-fails fault makes the event end `failed`. */
  onFail?: () => void;
  /** Checked at every step after `started`: true holds the event at `started` until resumed. */
  stalled?: () => boolean;
}

/** Progress points: the event starts at 10% of its duration and reports 10/40/70% on the way. */
const PROGRESS = [
  { at: 0.1, percent: 10 },
  { at: 0.4, percent: 40 },
  { at: 0.7, percent: 70 },
] as const;

export function entityUrl(type: string, id: number): string {
  switch (type) {
    case 'linode':
      return `/v4/linode/instances/${id}`;
    case 'volume':
      return `/v4/volumes/${id}`;
    case 'lkecluster':
      return `/v4/lke/clusters/${id}`;
    case 'nodebalancer':
      return `/v4/nodebalancers/${id}`;
    default:
      return `/v4/${type}s/${id}`;
  }
}

export function entity(type: string, id: number, label: string): EventEntity {
  return { id, label, type, url: entityUrl(type, id) };
}

/** Records a new `scheduled` event and runs it to completion on the clock. */
export function startEvent(
  store: Store,
  input: { action: string; entity: EventEntity; secondaryEntity?: EventEntity | null },
  plan: EventPlan,
): EventRecord {
  const event: EventRecord = {
    id: store.nextId('event'),
    action: input.action,
    created: store.clock.nowMs(),
    finished: undefined,
    entity: input.entity,
    secondaryEntity: input.secondaryEntity ?? null,
    status: 'scheduled',
    percentComplete: 0,
    username: store.username,
    read: false,
    seen: false,
    resume: undefined,
  };
  store.events.set(event.id, event);
  runEvent(store, event, plan);
  return event;
}

/** Records an event that is over as it happens (status `notification`), e.g. volume_delete. */
export function recordNotification(
  store: Store,
  input: { action: string; entity: EventEntity; secondaryEntity?: EventEntity | null },
): EventRecord {
  const now = store.clock.nowMs();
  const event: EventRecord = {
    id: store.nextId('event'),
    action: input.action,
    created: now,
    finished: now,
    entity: input.entity,
    secondaryEntity: input.secondaryEntity ?? null,
    status: 'notification',
    percentComplete: 100,
    username: store.username,
    read: false,
    seen: false,
    resume: undefined,
  };
  store.events.set(event.id, event);
  return event;
}

function eventFails(store: Store, event: EventRecord): boolean {
  return store.faults
    .list()
    .some(
      (f) =>
        f.kind === 'linode-event-fails' &&
        f.action === event.action &&
        (f.entityLabel === undefined || f.entityLabel === event.entity.label),
    );
}

/** Carries an event already recorded (a restored one) on to its end, as startEvent does. */
export function continueEvent(store: Store, event: EventRecord, plan: EventPlan): void {
  runEvent(store, event, plan);
}

function runEvent(store: Store, event: EventRecord, plan: EventPlan): void {
  type Step = { at: number; run: () => void };
  const steps: Step[] = [
    ...PROGRESS.map((p) => ({
      at: p.at,
      run: () => {
        event.status = 'started';
        event.percentComplete = p.percent;
      },
    })),
    ...(plan.milestones ?? []),
    {
      at: 1,
      run: () => {
        if (eventFails(store, event)) {
          plan.onFail?.();
          event.status = 'failed';
        } else {
          plan.onFinish?.();
          event.status = 'finished';
          event.percentComplete = 100;
        }
        event.finished = store.clock.nowMs();
      },
    },
  ].sort((a, b) => a.at - b.at);
  let origin = store.clock.nowMs();

  const next = (index: number): void => {
    const step = steps[index];
    if (step === undefined) return;
    const due = origin + step.at * plan.durationMs;
    store.clock.after(Math.max(0, due - store.clock.nowMs()), () => {
      if (event.status === 'started' && plan.stalled?.() === true) {
        const stalledAt = store.clock.nowMs();
        event.resume = () => {
          event.resume = undefined;
          origin += store.clock.nowMs() - stalledAt;
          next(index);
        };
        return;
      }
      step.run();
      store.changed();
      next(index + 1);
    });
  };
  next(0);
}
