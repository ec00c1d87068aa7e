// The Linode token's OAuth scopes, as the API sends them in X-OAuth-Scopes on GET /profile (a request
// every token may make): the preflight names a missing scope before any change. A plain fetch with
// its own bound, so it needs none of @linode/api-v4's module-wide configuration.
import { parseScopes } from '../../engine/permissions/preflight.js';
import { isConnectionFailure, verdictForStatus, withRetries } from '../shared/retry.js';
import { LINODE_DEFAULT_API_URL } from './connect.js';

type Env = Readonly<Record<string, string | undefined>>;

/** An answer another try may change (429, 5xx). */
class Passing extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: string | undefined,
  ) {
    super(`Linode answered ${status}`);
  }
}

/**
 * The scopes of LINODE_TOKEN at LINODE_API_URL (read as connectLinode reads them); undefined when
 * they cannot be known here: no token, a refused token, an unreachable API or no header. Connecting
 * says what is wrong with those, so the preflight then checks what it can and leaves the rest to it.
 */
export async function readTokenScopes(env: Env, timeoutMs = 10_000): Promise<string[] | undefined> {
  const token = env.LINODE_TOKEN?.trim() ?? '';
  if (token === '') return undefined;
  const apiUrl = (env.LINODE_API_URL?.trim() || LINODE_DEFAULT_API_URL).replace(/\/+$/, '');
  const ask = async (): Promise<string[] | undefined> => {
    const controller = new AbortController();
    // A plain timer held here, not AbortSignal.timeout: on Node 20 a collected one may never fire.
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(`${apiUrl}/profile`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        signal: controller.signal,
      });
      const header = response.headers.get('x-oauth-scopes');
      await response.body?.cancel();
      if (verdictForStatus(response.status, undefined).retryable)
        throw new Passing(response.status, response.headers.get('retry-after') ?? undefined);
      return response.ok && header !== null ? parseScopes(header) : undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    return await withRetries(ask, (error) =>
      error instanceof Passing
        ? verdictForStatus(error.status, error.retryAfter)
        : { retryable: isConnectionFailure(error) },
    );
  } catch {
    return undefined;
  }
}
