// kubectl describe and kubectl events print an event's age from their own wall clock, while the
// simulator stamps events on its simulated clock (a 2020 scenario read "5y357d" in 2026).
import type http from 'node:http';
import type { KubeObject } from '../world.js';
import { formatMicroTime, formatTime } from './ids.js';
import type { ResourceDef } from './registry.js';

type Present = (def: ResourceDef, object: KubeObject) => KubeObject;

/** The commands that show event ages computed client-side (`kubectl get events` gets server tables). */
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

function shiftEvent(event: KubeObject, offsetMs: number): KubeObject {
  const out: KubeObject = { ...event, metadata: { ...event.metadata } };
  out.metadata.creationTimestamp = shifted(event.metadata.creationTimestamp, offsetMs) as string | undefined;
  for (const field of EVENT_TIMES)
    if (event[field] !== undefined) out[field] = shifted(event[field], offsetMs);
  const series = event.series as { lastObservedTime?: string } | undefined;
  if (series !== undefined)
    out.series = { ...series, lastObservedTime: shifted(series.lastObservedTime, offsetMs) };
  return out;
}

/**
 * For those two commands only (kubectl's Kubectl-Command header names them), events are served with
 * their times moved by (wall now − simulated now): ages then read on the simulated clock, while every
 * other object, field and command keeps the simulated times a trainee sees in the pager and in -o yaml.
 */
export function withSimulatedEventAges(
  present: Present,
  req: http.IncomingMessage,
  simNowMs: number,
): Present {
  const command = req.headers['kubectl-command'];
  if (typeof command !== 'string' || !CLIENT_AGE_COMMANDS.test(command)) return present;
  const offsetMs = Date.now() - simNowMs;
  return (def, object) => {
    const shown = present(def, object);
    return def.kind === 'Event' ? shiftEvent(shown, offsetMs) : shown;
  };
}
