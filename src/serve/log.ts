// Structured logs of `runbook serve`: one JSON object a line on stdout, every string redacted.
import type { Redactor } from '../engine/redact.js';

export type ServeLog = (event: string, fields?: Readonly<Record<string, unknown>>) => void;

export function jsonLog(stream: NodeJS.WritableStream, redact: Redactor, now = () => Date.now()): ServeLog {
  return (event, fields = {}) => {
    const line = JSON.stringify({ time: new Date(now()).toISOString(), event, ...fields });
    stream.write(`${redact(line)}\n`);
  };
}
