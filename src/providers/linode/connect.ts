// Configures @linode/api-v4 per connection. The library's URLs are hard-coded to api.linode.com and its
// token is module-wide, so one axios request interceptor on its shared `baseRequest` points each call at
// the target of the connection that made it: every call runs inside `client.call()`, which puts that
// connection's target (LINODE_API_URL and LINODE_TOKEN) in an AsyncLocalStorage scope. Two connections
// in one process (a live reader and its dry-run twin; two dry runs in `serve`) never share a target,
// and a request made outside any connection's scope is refused rather than sent somewhere guessed.
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as LinodeApi from '@linode/api-v4';
import { RunbookError, usageError } from '../../engine/errors.js';

export const LINODE_DEFAULT_API_URL = 'https://api.linode.com/v4';

export type LinodeLib = typeof LinodeApi;

export interface LinodeConnectOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface LinodeClient {
  readonly apiUrl: string;
  /** Runs `use` (library calls only) against this connection's API URL and token, and no other. */
  readonly call: <T>(use: (lib: LinodeLib) => Promise<T>) => Promise<T>;
}

interface LinodeTarget {
  readonly apiUrl: string;
  readonly token: string;
}

const scope = new AsyncLocalStorage<LinodeTarget>();
let loaded: LinodeLib | undefined;

/** A request whose URL is not under its connection's base (…/v4/ or, for a few calls, …/v4beta/). */
const foreign = (url: string, apiUrl: string): boolean =>
  !url.startsWith(`${apiUrl}/`) && !url.startsWith(`${apiUrl}beta/`);

async function loadLib(): Promise<LinodeLib> {
  if (loaded !== undefined) return loaded;
  const lib = await import('@linode/api-v4');
  lib.baseRequest.interceptors.request.use((config) => {
    const target = scope.getStore();
    if (target === undefined)
      throw new RunbookError(
        'internal',
        'A Linode API request was made outside any connection, so it was refused rather than sent to a guessed target.',
      );
    let url = config.url ?? '';
    if (url.startsWith(LINODE_DEFAULT_API_URL))
      url = target.apiUrl + url.slice(LINODE_DEFAULT_API_URL.length);
    if (foreign(url, target.apiUrl))
      throw new RunbookError(
        'internal',
        `A Linode API request for another endpoint than its connection's (${target.apiUrl}) was refused.`,
      );
    config.url = url;
    config.headers.set('Authorization', `Bearer ${target.token}`);
    config.timeout ??= 30_000;
    return config;
  });
  loaded = lib;
  return lib;
}

export async function connectLinode(options: LinodeConnectOptions): Promise<LinodeClient> {
  const token = options.env.LINODE_TOKEN?.trim() ?? '';
  if (token === '') {
    throw usageError(
      'LINODE_TOKEN is not set, and this runbook needs the Linode API.',
      'Put a personal access token with volumes:read_write, linodes:read_write and events:read_only in LINODE_TOKEN (environment or .env).',
    );
  }
  const apiUrl = (options.env.LINODE_API_URL?.trim() || LINODE_DEFAULT_API_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+\/v4$/.test(apiUrl)) {
    throw new RunbookError(
      'invalid-parameter',
      `LINODE_API_URL "${apiUrl}" must look like https://host/v4 (the base that /volumes and /linode/instances hang from).`,
    );
  }
  const lib = await loadLib();
  const target: LinodeTarget = { apiUrl, token };
  return {
    apiUrl,
    call: (use) => scope.run(target, () => use(lib)),
  };
}
