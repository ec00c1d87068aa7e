// Reads the JSON Alertmanager posts to a webhook (version 4): the alerts of one group, firing and
// resolved. Anything else is refused in one sentence before a single alert is looked at.
import { invalidParameter } from '../../engine/errors.js';

export interface Alert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
}

export interface AlertGroup {
  readonly alerts: readonly Alert[];
  /** How many alerts of the group Alertmanager left out (max_alerts), with where to see them. */
  readonly truncated: number;
  readonly externalURL: string | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `origin` names where the text came from, e.g. "standard input" or "the file alerts.json". */
export function parsePayload(text: string, origin: string): AlertGroup {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const why = error instanceof SyntaxError ? ` (${error.message})` : '';
    throw invalidParameter(`${origin} is not JSON${why}: give the JSON Alertmanager posts to a webhook.`);
  }
  const notPayload = (what: string) =>
    invalidParameter(`${origin} is JSON but not an Alertmanager webhook payload: ${what}.`);
  if (!isRecord(json) || !Array.isArray(json.alerts)) throw notPayload('it has no "alerts" list');
  if (json.version !== undefined && json.version !== '4') {
    throw notPayload(`its version is ${JSON.stringify(json.version)}, and this reads version "4"`);
  }
  const alerts = json.alerts.map((raw: unknown, index): Alert => {
    const which = `alert ${index + 1}`;
    if (!isRecord(raw) || !isRecord(raw.labels)) throw notPayload(`${which} has no labels`);
    const labels = raw.labels;
    if (typeof labels.alertname !== 'string') throw notPayload(`${which} has no labels.alertname`);
    for (const [name, value] of Object.entries(labels)) {
      if (typeof value !== 'string') throw notPayload(`${which}'s label ${name} is not a string`);
    }
    if (raw.status !== 'firing' && raw.status !== 'resolved') {
      throw notPayload(`${which}'s status is ${JSON.stringify(raw.status)}, not "firing" or "resolved"`);
    }
    return { status: raw.status, labels: labels as Record<string, string> };
  });
  const truncated = typeof json.truncatedAlerts === 'number' ? json.truncatedAlerts : 0;
  const externalURL = typeof json.externalURL === 'string' ? json.externalURL : undefined;
  return { alerts, truncated, externalURL };
}
