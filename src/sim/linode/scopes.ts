// The token's OAuth scopes as linode-missing-scope faults leave them: whether an endpoint is
// refused, and the X-OAuth-Scopes header the real API sends (space-separated, `*` for all).
import type { Fault } from '../world.js';
import type { Store } from './store.js';

/** Every scope area of the OAuth reference (spec 4.176 "OAuth Reference"). */
const AREAS = [
  'account',
  'databases',
  'domains',
  'events',
  'firewall',
  'images',
  'ips',
  'linodes',
  'lke',
  'longview',
  'nodebalancers',
  'object_storage',
  'stackscripts',
  'volumes',
  'vpc',
] as const;

function missingScopes(store: Store): string[] {
  return store.faults.list().flatMap((f) => (f.kind === 'linode-missing-scope' ? [f.scope] : []));
}

/** Whether the token lacks a scope this endpoint accepts (read_write implies read_only). */
export function lacksScope(store: Store, accepted: string): boolean {
  const needed = accepted
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s) => s.trim().split(':'));
  return missingScopes(store).some((scope) => {
    const [area, level] = scope.split(':');
    return needed.some(([a, l]) => a === area && (level === 'read_only' || l === 'read_write'));
  });
}

/**
 * X-OAuth-Scopes for the token: `*` while nothing is taken away; otherwise each area at the level
 * left (an area whose read_only is gone is left out), e.g. `account:read_write ... volumes:read_only`.
 */
export function tokenScopes(store: Store): string {
  const missing = new Set(missingScopes(store));
  if (missing.size === 0) return '*';
  return AREAS.flatMap((area) => {
    if (missing.has(`${area}:read_only`)) return [];
    return [`${area}:${missing.has(`${area}:read_write`) ? 'read_only' : 'read_write'}`];
  }).join(' ');
}

/**
 * The faults that leave the token exactly `granted` (`*`, or `area:access` each; read_write implies
 * read_only): every scope not covered is taken away, so X-OAuth-Scopes then lists just those.
 */
export function scopeFaults(granted: readonly string[]): Fault[] {
  if (granted.includes('*')) return [];
  const level = (area: string): 'read_write' | 'read_only' | undefined =>
    granted.includes(`${area}:read_write`)
      ? 'read_write'
      : granted.includes(`${area}:read_only`)
        ? 'read_only'
        : undefined;
  return AREAS.flatMap((area): Fault[] => {
    const has = level(area);
    if (has === 'read_write') return [];
    const taken = has === 'read_only' ? ['read_write'] : ['read_only', 'read_write'];
    return taken.map((access) => ({ kind: 'linode-missing-scope', scope: `${area}:${access}` }));
  });
}
