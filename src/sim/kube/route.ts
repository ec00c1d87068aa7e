// Parses a Kubernetes API path into what it addresses: a discovery document or a resource
// (collection, object, subresource) in a group/version and maybe a namespace.
import type { ResourceDef } from './registry.js';
import { findByPath } from './registry.js';

export type Route =
  | { type: 'version' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'resources'; group: string; version: string }
  | { type: 'openapi-root' }
  | { type: 'openapi'; group: string; version: string }
  | {
      type: 'resource';
      def: ResourceDef;
      namespace: string | undefined;
      name: string | undefined;
      subresource: string | undefined;
      watchPath: boolean;
    }
  | { type: 'unknown' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  if (parts[0] === 'version' && parts.length === 1) return { type: 'version' };
  if (parts[0] === 'openapi') {
    if (parts[1] === 'v3' && parts.length === 2) return { type: 'openapi-root' };
    if (parts[1] === 'v3' && parts[2] === 'api' && parts[3] !== undefined && parts.length === 4)
      return { type: 'openapi', group: '', version: parts[3] };
    if (
      parts[1] === 'v3' &&
      parts[2] === 'apis' &&
      parts[3] !== undefined &&
      parts[4] !== undefined &&
      parts.length === 5
    )
      return { type: 'openapi', group: parts[3], version: parts[4] };
    return { type: 'unknown' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api' };
    group = '';
    version = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apis' };
    if (parts.length === 2) return { type: 'group', group: parts[1] ?? '' };
    group = parts[1] ?? '';
    version = parts[2] ?? '';
    rest = parts.slice(3);
  } else return { type: 'unknown' };
  if (rest.length === 0) return { type: 'resources', group, version };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2] ?? '')) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, extra] = rest;
  if (plural === undefined || extra !== undefined) return { type: 'unknown' };
  const def = findByPath(group, version, plural);
  if (def === undefined) return { type: 'unknown' };
  if (!def.namespaced && namespace !== undefined) return { type: 'unknown' };
  return { type: 'resource', def, namespace, name, subresource, watchPath };
}
