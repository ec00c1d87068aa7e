// Turns api-v4's rejections (a raw AxiosError for HTTP failures) into one sentence an operator can
// act on, without ever echoing the request (its headers carry the token).
import { RunbookError } from '../../engine/errors.js';

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status: number; data?: { errors?: Array<{ reason?: string; field?: string }> } };
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
