// When each postgres-too-many-clients fault held, so a log read later still shows the refusals of
// the saturated hours; and the fault's end: a matching Postgres pod gone drops its connections.
import type { Fault } from '../../world.js';
import type { Controller, ControllerContext } from '../controllers/runtime.js';
import { matchesLabels, parseLabelSelector, type LabelSelector } from '../selectors.js';

type TooManyClients = Extract<Fault, { kind: 'postgres-too-many-clients' }>;

export interface Saturation {
  namespace: string;
  server: LabelSelector;
  clients: LabelSelector | undefined;
  since: number;
  /** When the fault ended; undefined while it holds. */
  until: number | undefined;
}

export interface SaturationLog extends Controller {
  /** Every saturation seen since the simulator started, oldest first. */
  list(): readonly Saturation[];
}

export function createSaturationLog(ctx: ControllerContext): SaturationLog {
  const seen = new Map<TooManyClients, Saturation>();
  const ended: Saturation[] = [];
  return {
    name: 'postgres-saturation',
    list: () => [...ended, ...seen.values()].sort((a, b) => a.since - b.since),
    onFaultsChange() {
      const current = ctx.faults.list();
      for (const [fault, saturation] of seen)
        if (!current.includes(fault)) {
          saturation.until = ctx.clock.nowMs();
          seen.delete(fault);
          ended.push(saturation);
        }
      for (const fault of current)
        if (fault.kind === 'postgres-too-many-clients' && !seen.has(fault))
          seen.set(fault, {
            namespace: fault.namespace,
            server: parseLabelSelector(fault.labelSelector),
            clients:
              fault.clientSelector === undefined ? undefined : parseLabelSelector(fault.clientSelector),
            since: ctx.clock.nowMs(),
            until: undefined,
          });
    },
    onStoreEvent(event) {
      if (event.type !== 'DELETED' || event.def.kind !== 'Pod') return;
      const pod = event.object;
      for (const [fault, saturation] of seen)
        if (
          pod.metadata.namespace === saturation.namespace &&
          matchesLabels(saturation.server, pod.metadata.labels)
        )
          // Not from inside a store event: the fault set notifies every controller.
          ctx.clock.after(0, () => ctx.faults.remove(fault));
    },
  };
}
