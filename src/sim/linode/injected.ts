// api-error faults on the Linode side, answered by the Linode simulator itself so an injected error
// looks like the real one: Linode's error body, and on a 429 Retry-After with the rate-limit headers.
import { REASON } from './reasons.js';
import { apiError, type Reply } from './reply.js';
import type { Store } from './store.js';
import type { Fault } from '../world.js';

export interface InjectedError {
  reply: Reply;
  /** Seconds, for a 429's Retry-After. */
  retryAfter: number | undefined;
}

function reasonFor(status: number): string {
  switch (status) {
    case 401:
      return REASON.invalidToken;
    case 403:
      return REASON.forbidden;
    case 404:
      return REASON.notFound;
    case 429:
      return REASON.tooManyRequests;
    default:
      return REASON.serverError;
  }
}

/** How many requests each api-error fault has failed, for those that stop after `count`. */
const injectedCounts = new WeakMap<Fault, number>();

/** The first api-error fault for the Linode API matching this request (and its `rate`), if any. */
export function injectedError(store: Store, method: string, path: string): InjectedError | undefined {
  for (const fault of store.faults.list()) {
    if (fault.kind !== 'api-error' || fault.api !== 'linode') continue;
    if (fault.method !== undefined && fault.method !== method) continue;
    if (!new RegExp(fault.pathPattern).test(path) || Math.random() >= fault.rate) continue;
    const failed = (injectedCounts.get(fault) ?? 0) + 1;
    injectedCounts.set(fault, failed);
    if (fault.count !== undefined && failed >= fault.count) store.faults.remove(fault);
    return {
      reply: apiError(fault.status, reasonFor(fault.status)),
      retryAfter: fault.status === 429 ? (fault.retryAfterSeconds ?? 1) : undefined,
    };
  }
  return undefined;
}
