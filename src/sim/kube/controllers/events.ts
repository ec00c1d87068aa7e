// Records core/v1 Events as components do: one object per (object, reason, message, source),
// a repeat increments count and lastTimestamp on the same object.
import type { KubeObject } from '../../world.js';
import type { Api } from '../api.js';
import { mustFindByKind } from '../registry.js';

export interface EventRecorder {
  record(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string; host?: string },
  ): void;
}

export function createEventRecorder(api: Api): EventRecorder {
  const eventDef = mustFindByKind('v1', 'Event');
  const seen = new Map<string, { namespace: string; name: string }>();
  let counter = 0;

  return {
    record(involved, type, reason, message, source) {
      const namespace = involved.metadata.namespace ?? 'default';
      const key = JSON.stringify([
        involved.metadata.uid,
        type,
        reason,
        message,
        source.component,
        source.host,
      ]);
      const now = api.now();
      const previous = seen.get(key);
      if (previous !== undefined) {
        const updated = api.mutate(eventDef, previous.namespace, previous.name, (event) => {
          event.count = (typeof event.count === 'number' ? event.count : 1) + 1;
          event.lastTimestamp = now;
        });
        if (updated !== undefined) return;
      }
      counter += 1;
      const stamp = (BigInt(api.clock.nowMs()) * 1_000_000n + BigInt(counter)).toString(16).padStart(16, '0');
      const name = `${involved.metadata.name}.${stamp}`;
      const involvedObject: Record<string, unknown> = {
        kind: involved.kind,
        name: involved.metadata.name,
        apiVersion: involved.apiVersion,
        uid: involved.metadata.uid,
        resourceVersion: involved.metadata.resourceVersion,
      };
      if (involved.metadata.namespace !== undefined) involvedObject.namespace = involved.metadata.namespace;
      const sourceObject: Record<string, string> = { component: source.component };
      if (source.host !== undefined) sourceObject.host = source.host;
      try {
        api.create(eventDef, namespace, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject,
          reason,
          message,
          type,
          source: sourceObject,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
          eventTime: null,
          reportingComponent: source.component,
          reportingInstance: source.host ?? '',
        });
        seen.set(key, { namespace, name });
      } catch {
        // A terminating or missing namespace refuses new events, as the real API server does.
      }
    },
  };
}
