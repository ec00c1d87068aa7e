// Turns api-v4's rejections (a raw AxiosError for HTTP failures) into one sentence an operator can
// act on, without ever echoing the request (its headers carry the token).
import { RunbookError } from '../../engine/errors.js';
import { type RetryVerdict, isConnectionFailure, verdictForStatus } from '../shared/retry.js';

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: {
    status: number;
    headers?: Record<string, unknown>;
    data?: { errors?: Array<{ reason?: string; field?: string }> };
  };
}

export function linodeStatus(error: unknown): number | undefined {
  return (error as AxiosLike | undefined)?.response?.status;
}

export function linodeReasons(error: unknown): string {
  const errors = (error as AxiosLike | undefined)?.response?.data?.errors ?? [];
  return errors.map((e) => (e.field === undefined ? e.reason : `${e.field}: ${e.reason}`)).join('; ');
}

export function linodeError(error: unknown, apiUrl: string, doing: string): RunbookError {
  if (error instanceof RunbookError) return error;
  const axios = error as AxiosLike;
  const status = linodeStatus(error);
  if (status === undefined) {
    const code = axios.code ?? 'no response';
    return new RunbookError(
      'linode-unreachable',
      `Cannot reach the Linode API at ${apiUrl} (${code}) while trying to ${doing}.`,
      {
        next: 'Check LINODE_API_URL and the network; status.linode.com shows Linode outages.',
      },
    );
  }
  const reasons = linodeReasons(error) || 'no reason given';
  if (status === 401 || status === 403) {
    return new RunbookError(
      'access-refused',
      `The Linode API refused the token while trying to ${doing} (${status}: ${reasons}).`,
      {
        next: 'Set LINODE_TOKEN to a valid personal access token with volumes:read_write, linodes:read_write, lke:read_only and events:read_only.',
      },
    );
  }
  return new RunbookError('step-failed', `The Linode API failed to ${doing} (${status}: ${reasons}).`);
}

/**
 * Whether a failed Linode call is worth another try: 429 and 5xx (but not maintenance mode), a
 * dropped connection, and "Linode busy." (an action still running), as linodego retries.
 */
export function linodeRetryVerdict(error: unknown): RetryVerdict {
  const response = (error as AxiosLike | undefined)?.response;
  if (response === undefined)
    return { retryable: isConnectionFailure(error) || (error as AxiosLike).code === 'ECONNRESET' };
  if (response.status === 503 && response.headers?.['x-maintenance-mode'] !== undefined)
    return { retryable: false };
  if (response.status === 400 && /Linode busy/i.test(linodeReasons(error)))
    return { retryable: true, afterMs: 2_000 };
  const retryAfter = response.headers?.['retry-after'];
  return verdictForStatus(response.status, typeof retryAfter === 'string' ? retryAfter : undefined);
}

/** Only 429 proves a request was not acted on: the verdict for calls that must not run twice. */
export function linodeRetryVerdictIfUnprocessed(error: unknown): RetryVerdict {
  return linodeStatus(error) === 429 ? linodeRetryVerdict(error) : { retryable: false };
}
