// Turns api-v4's rejections (a raw AxiosError for HTTP failures) into one sentence an operator can
// act on, without ever echoing the request (its headers carry the token).
import { RunbookError } from '../../engine/errors.js';
import { type RetryVerdict, isConnectionFailure, verdictForStatus } from '../shared/retry.js';
import { type TlsFailure, clockHint, presentedWithCode, tlsFailure } from '../shared/tls.js';

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
  const tls = status === undefined ? tlsFailure(error) : undefined;
  if (tls !== undefined) return linodeTlsError(tls, apiUrl, doing);
  if (status === undefined) {
    const code = axios.code ?? (axios.message?.trim() || 'no response');
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
 * Node trusts its built-in CAs plus NODE_EXTRA_CA_CERTS, read once when the process starts: that
 * variable (in the environment, not .env) is the only place a proxy's or private CA can be added.
 */
function linodeTlsError(tls: TlsFailure, apiUrl: string, doing: string): RunbookError {
  const extra = process.env.NODE_EXTRA_CA_CERTS?.trim() ?? '';
  const head = `The Linode API at ${apiUrl} presents ${presentedWithCode(tls)}, so the connection was refused before runbook could ${doing}`;
  const trusted =
    extra === ''
      ? 'NODE_EXTRA_CA_CERTS is not set, and no authority Node trusts signed it'
      : `it is not signed by a CA in NODE_EXTRA_CA_CERTS (${extra}) or one Node trusts`;
  const startWith =
    'start runbook with NODE_EXTRA_CA_CERTS=<PEM file of that CA> in its environment (Node reads it only at start, never from .env)';
  switch (tls.problem) {
    case 'unknown-authority':
      return new RunbookError('tls-refused', `${head}: ${trusted}.`, {
        next: `If a proxy or a private CA sits in front of the Linode API, ${startWith}; otherwise check LINODE_API_URL.`,
      });
    case 'wrong-host':
      return new RunbookError(
        'tls-refused',
        `${head}: the certificate does not name the host in LINODE_API_URL.`,
        {
          next: 'Set LINODE_API_URL to a host name the certificate holds (https://api.linode.com/v4 by default).',
        },
      );
    case 'expired':
    case 'not-yet-valid':
      return new RunbookError('tls-refused', `${head}: check that LINODE_API_URL is the live endpoint.`, {
        next: `Check LINODE_API_URL (unset, it is https://api.linode.com/v4) and any proxy in between.${clockHint(tls)}`,
      });
    case 'not-tls':
      return new RunbookError(
        'tls-refused',
        `${head}: LINODE_API_URL says https but the server speaks plain http.`,
        {
          next: 'Check LINODE_API_URL: its scheme and port.',
        },
      );
    case 'refused':
      return new RunbookError('tls-refused', `${head}: the certificate chain is refused.`, {
        next: `Check LINODE_API_URL and any proxy in between; for a private CA, ${startWith}.`,
      });
  }
}

/**
 * Whether a failed Linode call is worth another try: 429 and 5xx (but not maintenance mode), a
 * dropped connection, and "Linode busy." (an action still running), as linodego retries.
 */
export function linodeRetryVerdict(error: unknown): RetryVerdict {
  if (tlsFailure(error) !== undefined) return { retryable: false };
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
