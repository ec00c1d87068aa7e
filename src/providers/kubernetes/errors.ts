// Turns client-node's errors (ApiException, fetch failures) into one sentence an operator can act on.
import { RunbookError } from '../../engine/errors.js';
import { type RetryVerdict, isConnectionFailure, verdictForStatus, withRetries } from '../shared/retry.js';
import { tlsFailure } from '../shared/tls.js';
import { kubePlainHttpMessage, kubeTlsMessage } from './trust.js';

interface ApiExceptionLike {
  code: number;
  body: unknown;
}

const isApiException = (error: unknown): error is ApiExceptionLike =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as { code?: unknown }).code === 'number' &&
  'body' in error;

/** The reason and message of a metav1.Status body, when there is one. */
export function statusOf(error: unknown): { code: number; reason?: string; message?: string } | undefined {
  if (!isApiException(error)) return undefined;
  let body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = undefined;
    }
  }
  const status = (body ?? {}) as { reason?: string; message?: string };
  return { code: error.code, reason: status.reason, message: status.message };
}

export const isNotFound = (error: unknown): boolean => statusOf(error)?.code === 404;

function connectionFailure(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
      return code;
    }
    if (current.name === 'TimeoutError') return 'timeout';
    current = current.cause;
  }
  return undefined;
}

/** "500 InternalError: message", leaving out what the server left empty. */
function statusDetail(status: { code: number; reason?: string; message?: string }): string {
  const reason = status.reason?.trim() ? ` ${status.reason.trim()}` : '';
  const message = status.message?.trim() ? `: ${status.message.trim()}` : ': no message';
  return `${status.code}${reason}${message}`;
}

/**
 * The first telling words in a cause chain: undici's "fetch failed" says nothing, its cause says what
 * failed (with a code such as UND_ERR_SOCKET); an empty message is never the answer.
 */
function tellingReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    const message = (
      current instanceof Error ? current.message : typeof current === 'string' ? current : ''
    ).trim();
    const code = (current as { code?: unknown }).code;
    const said =
      typeof code !== 'string' || message.includes(code)
        ? message
        : message === ''
          ? code
          : `${message} (${code})`;
    if (said !== '' && !/^fetch failed$/i.test(said)) return said;
    current = current instanceof Error ? current.cause : undefined;
  }
  return 'no reason given';
}

/** Wraps any error from the Kubernetes API into a RunbookError naming the server and what failed. */
export function kubeError(error: unknown, server: string, doing: string): RunbookError {
  if (error instanceof RunbookError) return error;
  const tls = tlsFailure(error);
  if (tls !== undefined) {
    const { message, next } = kubeTlsMessage(tls, server, doing);
    return new RunbookError('tls-refused', message, { cause: error, next });
  }
  const plain = kubePlainHttpMessage(error, server);
  if (plain !== undefined) {
    return new RunbookError('tls-refused', plain.message, { cause: error, next: plain.next });
  }
  const failure = connectionFailure(error);
  if (failure !== undefined) {
    return new RunbookError(
      'cluster-unreachable',
      `Cannot reach the Kubernetes API at ${server} (${failure}) while trying to ${doing}.`,
      {
        cause: error,
        next: 'Check the kubeconfig and context (--kubeconfig, --context, KUBECONFIG) and your VPN.',
      },
    );
  }
  const status = statusOf(error);
  if (status?.code === 401 || status?.code === 403) {
    return new RunbookError(
      'access-refused',
      `The Kubernetes API at ${server} refused to ${doing} (${status.code} ${status.reason ?? ''}): ${status.message ?? 'no message'}.`,
      { cause: error, next: 'Use a kubeconfig whose user may do this, or ask a cluster admin.' },
    );
  }
  const detail = status === undefined ? tellingReason(error) : statusDetail(status);
  return new RunbookError('step-failed', `The Kubernetes API failed to ${doing}: ${detail}`, {
    cause: error,
  });
}

/** Whether a failed Kubernetes call is worth another try (429, 5xx, a dropped connection). */
export function kubeRetryVerdict(error: unknown): RetryVerdict {
  if (isConnectionFailure(error)) return { retryable: true };
  if (!isApiException(error)) return { retryable: false };
  const headers = (error as { headers?: Record<string, string> }).headers ?? {};
  return verdictForStatus(error.code, headers['retry-after']);
}

/** Runs a Kubernetes call with bounded retries, then turns a final failure into one sentence. */
export async function kubeCall<T>(server: string, doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await withRetries(call, kubeRetryVerdict);
  } catch (error) {
    throw kubeError(error, server, doing);
  }
}
