// Configures @linode/api-v4 once: its URLs are hard-coded to api.linode.com, so an axios request
// interceptor on its shared `baseRequest` points them at LINODE_API_URL (a simulator, a proxy).
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

let configured: { lib: LinodeLib; apiUrl: string; token: string } | undefined;

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
  if (configured !== undefined) {
    if (configured.apiUrl !== apiUrl || configured.token !== token) {
      throw new RunbookError(
        'internal',
        'The Linode client was already configured for another API or token.',
      );
    }
    return { lib: configured.lib, apiUrl };
  }
  const lib = await import('@linode/api-v4');
  lib.baseRequest.interceptors.request.use((config) => {
    if (config.url?.startsWith(LINODE_DEFAULT_API_URL) === true) {
      config.url = apiUrl + config.url.slice(LINODE_DEFAULT_API_URL.length);
    }
    config.timeout ??= 30_000;
    return config;
  });
  lib.setToken(token);
  configured = { lib, apiUrl, token };
  return { lib, apiUrl };
}
