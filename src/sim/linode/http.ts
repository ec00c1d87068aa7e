// The HTTP face of the simulated Linode API: strips /v4 or /v4beta, answers injected api-error
// faults, checks the bearer token and scopes, reads the JSON body, dispatches to a route and writes
// JSON with Linode's headers.
import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { injectedError } from './injected.js';
import { REASON } from './reasons.js';
import { apiError, type Reply } from './reply.js';
import { matchRoute, type Route } from './routes.js';
import { lacksScope, tokenScopes } from './scopes.js';
import type { Store } from './store.js';

const PREFIX = /^\/(v4beta|v4)(?=\/|$)/;
const RATE_LIMIT = 800;
const RATE_WINDOW_MS = 120_000;

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** What a reply carries besides its body: which scopes the token has and the endpoint accepts. */
interface ReplyHeaders {
  /** X-OAuth-Scopes; left out where the token is not recognised. */
  scopes?: string;
  /** X-Accepted-OAuth-Scopes, once a route is matched. */
  accepted?: string;
  /** Retry-After in seconds, on a 429. */
  retryAfter?: number;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (match === null) return false;
  const given = Buffer.from(match[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parseBody(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function createHandler(store: Store, routes: readonly Route[], token: string): Handler {
  let windowStart = store.clock.nowMs();
  let windowCount = 0;

  const send = (res: http.ServerResponse, reply: Reply, extra: ReplyHeaders): void => {
    const now = store.clock.nowMs();
    if (now - windowStart >= RATE_WINDOW_MS) {
      windowStart = now;
      windowCount = 0;
    }
    windowCount += 1;
    const payload = JSON.stringify(reply.body);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(payload)),
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Remaining': String(Math.max(0, RATE_LIMIT - windowCount)),
      'X-RateLimit-Reset': String(Math.ceil((windowStart + RATE_WINDOW_MS) / 1000)),
    };
    if (extra.retryAfter !== undefined) {
      // A 429: nothing is left in this window, which resets when Retry-After says.
      headers['X-RateLimit-Remaining'] = '0';
      headers['X-RateLimit-Reset'] = String(Math.ceil(now / 1000) + extra.retryAfter);
      headers['Retry-After'] = String(extra.retryAfter);
    }
    if (extra.scopes !== undefined) headers['X-OAuth-Scopes'] = extra.scopes;
    if (extra.accepted !== undefined && extra.accepted !== '')
      headers['X-Accepted-OAuth-Scopes'] = extra.accepted;
    res.writeHead(reply.status, headers);
    res.end(payload);
  };

  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://linode.sim');
      const prefix = PREFIX.exec(url.pathname);
      if (prefix === null) {
        send(res, apiError(404, REASON.notFound), {});
        return;
      }
      const injected = injectedError(store, method, url.pathname);
      if (injected !== undefined) {
        send(
          res,
          injected.reply,
          injected.retryAfter === undefined ? {} : { retryAfter: injected.retryAfter },
        );
        return;
      }
      if (!tokenMatches(req.headers.authorization, token)) {
        // Linode cannot name the scopes of a token it does not recognise.
        send(res, apiError(401, REASON.invalidToken), {});
        return;
      }
      const scopes = tokenScopes(store);
      const pathname = url.pathname.slice(prefix[0].length) || '/';
      const found = matchRoute(routes, method, pathname);
      if (found === undefined) {
        send(res, apiError(404, REASON.notFound), { scopes });
        return;
      }
      const accepted = found.route.scopes;
      if (lacksScope(store, accepted)) {
        // The real API answers a missing scope with 401, not the spec's 403 (linode.md §1, §5.6).
        send(res, apiError(401, REASON.missingScope), { scopes, accepted });
        return;
      }
      const body = parseBody(Buffer.concat(chunks).toString('utf8'));
      if (body === undefined) {
        send(res, apiError(400, REASON.invalidJson), { scopes, accepted });
        return;
      }
      const filter = req.headers['x-filter'];
      const reply = found.route.handle({
        params: found.params,
        query: url.searchParams,
        filterHeader: Array.isArray(filter) ? filter[0] : filter,
        body,
      });
      send(res, reply, { scopes, accepted });
    });
  };
}
