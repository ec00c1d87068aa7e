// Configures @linode/api-v4: its URLs are hard-coded to api.linode.com and its token is module-wide,
// so one axios request interceptor on its shared `baseRequest` points every call at the active
// target (LINODE_API_URL and LINODE_TOKEN; the dry-run twin is a second target, used after the first).
import type * as LinodeApi from '@linode/api-v4';
import { RunbookError, usageError } from '../../engine/errors.js';

export const LINODE_DEFAULT_API_URL = 'https://api.linode.com/v4';

export type LinodeLib = typeof LinodeApi;

export interface LinodeConnectOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface LinodeClient {
  readonly lib: LinodeLib;
  readonly apiUrl: string;
}

interface ActiveTarget {
  apiUrl: string;
  token: string;
}

let active: ActiveTarget | undefined;
let loaded: LinodeLib | undefined;

async function loadLib(): Promise<LinodeLib> {
  if (loaded !== undefined) return loaded;
  const lib = await import('@linode/api-v4');
  lib.baseRequest.interceptors.request.use((config) => {
    if (active === undefined)
      throw new RunbookError('internal', 'The Linode client was used before it was configured.');
    if (config.url?.startsWith(LINODE_DEFAULT_API_URL) === true) {
      config.url = active.apiUrl + config.url.slice(LINODE_DEFAULT_API_URL.length);
    }
    config.headers.set('Authorization', `Bearer ${active.token}`);
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
  active = { apiUrl, token };
  return { lib, apiUrl };
}
