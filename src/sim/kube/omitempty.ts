// What the API server's JSON decoding does to a null in a built-in object: the Go field takes its
// zero value and, its tag being omitempty, is never served (`clusterIP: null` in a manifest is an
// absent clusterIP, defaulted and allocated; `env: null` is no env). Time fields are the exception:
// metav1.Time and MicroTime are structs held by value, which omitempty never omits and whose zero
// marshals as null (a pod condition's lastProbeTime, an Event's eventTime), so their nulls stay.
// Custom resources are left to their CRD's schema (`nullable`): built-in kinds only.
import type { ResourceDef } from './registry.js';

const TIME_FIELDS = new Set([
  'creationTimestamp',
  'lastProbeTime',
  'lastTransitionTime',
  'lastHeartbeatTime',
  'lastUpdateTime',
  'startedAt',
  'finishedAt',
  'eventTime',
  'firstTimestamp',
  'lastTimestamp',
]);

function dropNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNulls(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (child === null) {
      if (!TIME_FIELDS.has(key)) delete record[key];
    } else dropNulls(child);
  }
}

/** Removes, in place, every null field of a built-in object written to the API, time fields aside. */
export function omitNullFields(def: ResourceDef, object: object): void {
  if (def.crd === undefined) dropNulls(object);
}
