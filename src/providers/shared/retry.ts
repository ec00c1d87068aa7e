// Bounded retries for what an API server says is passing (429, 5xx) or a connection that dropped:
// at most a few tries, honouring Retry-After, never for an answer that would be the same again.
import { abortableDelay } from '../../engine/delay.js';
import { tlsFailure } from './tls.js';

export interface RetryVerdict {
  /** Whether another try could succeed. */
  readonly retryable: boolean;
  /** What the server asked for (Retry-After), in milliseconds. */
  readonly afterMs?: number;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 200, maxDelayMs: 5_000 };

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
// Not ECONNREFUSED: nothing listens there, and the operator should hear so at once.
const RETRYABLE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/** The verdict for an HTTP status and an optional Retry-After header value (seconds). */
export function verdictForStatus(status: number, retryAfter: string | undefined): RetryVerdict {
  if (!RETRYABLE_STATUS.has(status)) return { retryable: false };
  const seconds = Number(retryAfter);
  return Number.isFinite(seconds) && seconds >= 0
    ? { retryable: true, afterMs: seconds * 1000 }
    : { retryable: true };
}

/**
 * A network failure under any number of `cause`s: worth another try. A refused TLS handshake never
 * is, even when the socket it closed reports ECONNRESET: the same certificate comes back every time.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (tlsFailure(error) !== undefined) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code !== undefined && RETRYABLE_CONNECTION.has(code)) return true;
    current = current.cause;
  }
  return false;
}

export async function withRetries<T>(
  attempt: () => Promise<T>,
  judge: (error: unknown) => RetryVerdict,
  policy: RetryPolicy = DEFAULT_RETRY,
  signal: AbortSignal = new AbortController().signal,
): Promise<T> {
  let delay = policy.firstDelayMs;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const verdict = judge(error);
      if (!verdict.retryable || tries >= policy.attempts || signal.aborted) throw error;
      await abortableDelay(Math.min(verdict.afterMs ?? delay, policy.maxDelayMs * 2), signal);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
