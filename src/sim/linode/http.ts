// The HTTP face of the simulated Linode API: strips /v4 or /v4beta, checks the bearer token, reads
// the JSON body, dispatches to a route and writes JSON with Linode's headers.
import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { REASON } from './reasons.js';
import { apiError, type Reply } from './reply.js';
import { matchRoute, type Route } from './routes.js';
import type { Store } from './store.js';

const PREFIX = /^\/(v4beta|v4)(?=\/|$)/;
const RATE_LIMIT = 800;
const RATE_WINDOW_MS = 120_000;

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

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

/** Whether a linode-missing-scope fault takes away a scope this endpoint needs (read_write implies read_only). */
function lacksScope(store: Store, accepted: string): boolean {
  const needed = accepted.split(',').map((s) => s.trim().split(':'));
  return store.faults.list().some((fault) => {
    if (fault.kind !== 'linode-missing-scope') return false;
    const [area, level] = fault.scope.split(':');
    return needed.some(([a, l]) => a === area && (level === 'read_only' || l === 'read_write'));
  });
}

export function createHandler(store: Store, routes: readonly Route[], token: string): Handler {
  let windowStart = store.clock.nowMs();
  let windowCount = 0;

  const send = (res: http.ServerResponse, reply: Reply, scopes: string | undefined): void => {
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
      'X-OAuth-Scopes': '*',
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Remaining': String(Math.max(0, RATE_LIMIT - windowCount)),
      'X-RateLimit-Reset': String(Math.ceil((windowStart + RATE_WINDOW_MS) / 1000)),
    };
    if (scopes !== undefined) headers['X-Accepted-OAuth-Scopes'] = scopes;
    res.writeHead(reply.status, headers);
    res.end(payload);
  };

  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://linode.sim');
      const prefix = PREFIX.exec(url.pathname);
      if (prefix === null) {
        send(res, apiError(404, REASON.notFound), undefined);
        return;
      }
      if (!tokenMatches(req.headers.authorization, token)) {
        send(res, apiError(401, REASON.invalidToken), undefined);
        return;
      }
      const pathname = url.pathname.slice(prefix[0].length) || '/';
      const found = matchRoute(routes, req.method ?? 'GET', pathname);
      if (found === undefined) {
        send(res, apiError(404, REASON.notFound), undefined);
        return;
      }
      if (lacksScope(store, found.route.scopes)) {
        send(res, apiError(401, REASON.missingScope), found.route.scopes);
        return;
      }
      const body = parseBody(Buffer.concat(chunks).toString('utf8'));
      if (body === undefined) {
        send(res, apiError(400, REASON.invalidJson), found.route.scopes);
        return;
      }
      const filter = req.headers['x-filter'];
      const reply = found.route.handle({
        params: found.params,
        query: url.searchParams,
        filterHeader: Array.isArray(filter) ? filter[0] : filter,
        body,
      });
      send(res, reply, found.route.scopes);
    });
  };
}
