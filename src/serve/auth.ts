// The bearer token check of `runbook serve`: both sides hashed to equal-length digests first, so
// timingSafeEqual compares in constant time whatever the length of what was sent.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Whether an Authorization header carries exactly `Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = header === undefined ? '' : (/^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? '');
  const equal = timingSafeEqual(digest(sent), digest(token));
  return equal && sent !== '';
}
