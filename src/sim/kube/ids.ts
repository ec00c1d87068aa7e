// Deterministic identifiers (uids, generated name suffixes, hashes) and Kubernetes time formats,
// so two runs of a scenario produce the same names and the same output.
import { createHash } from 'node:crypto';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Maps a hash to the consonant-and-digit alphabet Kubernetes uses for generated names. */
export function safeEncode(text: string, length: number): string {
  const bytes = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; i < length; i += 1) out += SAFE[(bytes[i % bytes.length] ?? 0) % SAFE.length] ?? 'x';
  return out;
}

export interface IdSource {
  uid(): string;
  /** Five characters for a generateName suffix. */
  suffix(): string;
}

export function createIdSource(seed: string): IdSource {
  let uids = 0;
  let suffixes = 0;
  return {
    uid() {
      uids += 1;
      const h = sha256Hex(`${seed}/uid/${uids}`);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
    suffix() {
      suffixes += 1;
      return safeEncode(`${seed}/name/${suffixes}`, 5);
    },
  };
}

/** metav1.Time: RFC 3339, seconds precision. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
export function formatMicroTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Checks a MicroTime string the way the API server's decoder does; returns an error message or undefined. */
export function checkMicroTime(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return `json: cannot unmarshal ${typeof value} into Go value of type string`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const frac = /(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(value);
  const got = frac === null ? value : `${frac[1] ?? ''}${frac[2] ?? ''}`;
  return `parsing time "${value}" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "${got}" as ".000000"`;
}
