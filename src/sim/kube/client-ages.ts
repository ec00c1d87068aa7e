// kubectl describe and kubectl events print ages from their own wall clock, while the simulator
// stamps objects on its simulated clock (a 2020 scenario read "5y357d" in 2026).
import type http from 'node:http';
import type { KubeObject } from '../world.js';
import { formatMicroTime, formatTime } from './ids.js';
import type { ResourceDef } from './registry.js';

type Present = (def: ResourceDef, object: KubeObject) => KubeObject;

/** The commands that compute ages client-side (`kubectl get` gets the server's tables instead). */
const CLIENT_AGE_COMMANDS = /^kubectl (describe|events)\b/;

const EVENT_TIMES = [
  'firstTimestamp',
  'lastTimestamp',
  'eventTime',
  'deprecatedFirstTimestamp',
  'deprecatedLastTimestamp',
];

function shifted(time: unknown, offsetMs: number): unknown {
  if (typeof time !== 'string') return time;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return time;
  const date = new Date(ms + offsetMs);
  return /\.\d{6}Z$/.test(time) ? formatMicroTime(date) : formatTime(date);
}

function shiftMetadata(
  object: KubeObject,
  offsetMs: number,
  fields: Array<'creationTimestamp' | 'deletionTimestamp'>,
): KubeObject {
  const out: KubeObject = { ...object, metadata: { ...object.metadata } };
  for (const field of fields)
    if (object.metadata[field] !== undefined)
      out.metadata[field] = shifted(object.metadata[field], offsetMs) as string;
  return out;
}

function shiftEvent(event: KubeObject, offsetMs: number): KubeObject {
  const out = shiftMetadata(event, offsetMs, ['creationTimestamp']);
  for (const field of EVENT_TIMES)
    if (event[field] !== undefined) out[field] = shifted(event[field], offsetMs);
  const series = event.series as { lastObservedTime?: string } | undefined;
  if (series !== undefined)
    out.series = { ...series, lastObservedTime: shifted(series.lastObservedTime, offsetMs) };
  return out;
}

/**
 * For those two commands only (kubectl's Kubectl-Command header names them), the times they turn
 * into ages move by (wall now − simulated now): an event's times, and a pod's creation (describe
 * node's pod list) and deletion ("Terminating (lasts …)"), none of which describe prints as a date.
 * Every other field, object and command keeps the simulated times the pager and -o yaml show.
 */
export function withSimulatedAges(present: Present, req: http.IncomingMessage, simNowMs: number): Present {
  const command = req.headers['kubectl-command'];
  if (typeof command !== 'string' || !CLIENT_AGE_COMMANDS.test(command)) return present;
  const offsetMs = Date.now() - simNowMs;
  return (def, object) => {
    const shown = present(def, object);
    if (def.kind === 'Event') return shiftEvent(shown, offsetMs);
    if (def.kind === 'Pod' && def.group === '')
      return shiftMetadata(shown, offsetMs, ['creationTimestamp', 'deletionTimestamp']);
    return shown;
  };
}
