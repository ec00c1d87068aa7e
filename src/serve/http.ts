// The HTTP face of `runbook serve`: authenticated (auth.ts) POST /alertmanager (1 MiB at most, JSON or 400 with
// nothing done), GET /healthz, and nothing else.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AlertGroup, parsePayload } from '../cli/alerts/payload.js';
import { isRunbookError } from '../engine/errors.js';
import { type ServeCredentials, authorized } from './auth.js';
import type { ServeLog } from './log.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpOptions {
  readonly credentials: ServeCredentials;
  readonly log: ServeLog;
  /** Takes one parsed notification; returns at once (the dry runs go on in the background). */
  readonly accept: (group: AlertGroup) => { readonly alerts: number };
  /** False once shutting down: new notifications are answered 503. */
  readonly accepting: () => boolean;
}

function reply(res: ServerResponse, status: number, body: Readonly<Record<string, unknown>>): void {
  res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** The body, or undefined once it passed the limit (the answer 413 is already sent). */
function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      reply(res, 413, { error: 'the body is larger than 1 MiB' });
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        reply(res, 413, { error: 'the body is larger than 1 MiB' });
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpOptions): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz' && req.method === 'GET') {
    reply(res, options.accepting() ? 200 : 503, { ok: options.accepting() });
    return;
  }
  if (path !== '/alertmanager') {
    reply(res, 404, { error: 'not found: POST /alertmanager or GET /healthz' });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    reply(res, 405, { error: 'POST only' });
    return;
  }
  if (!authorized(req.headers.authorization, options.credentials)) {
    options.log('refused', { reason: 'no or wrong credentials' });
    req.resume();
    if (options.credentials.basic !== undefined)
      res.setHeader('WWW-Authenticate', 'Basic realm="runbook serve", charset="UTF-8"');
    reply(res, 401, {
      error:
        options.credentials.bearer === undefined ? 'credentials are required' : 'a bearer token is required',
    });
    return;
  }
  if (!options.accepting()) {
    req.resume();
    reply(res, 503, { error: 'shutting down' });
    return;
  }
  const text = await readBody(req, res);
  if (text === undefined) {
    options.log('refused', { reason: 'body over 1 MiB' });
    return;
  }
  let group: AlertGroup;
  try {
    group = parsePayload(text, 'The body');
  } catch (error) {
    if (!isRunbookError(error)) throw error;
    options.log('refused', { reason: 'not an Alertmanager payload' });
    reply(res, 400, { error: error.message });
    return;
  }
  reply(res, 202, options.accept(group));
}

export function createServeHttp(options: HttpOptions): Server {
  return createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      options.log('error', { message: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
}
