// The Linode API v4 endpoints the simulator serves: method, path, the OAuth scopes the real
// endpoint accepts (for X-Accepted-OAuth-Scopes), and the handler.
import { accountView, profileView } from './account.js';
import { findNode, poolsOf, recycleNode } from './lke.js';
import { collection } from './paginate.js';
import { powerAction } from './power.js';
import { apiError, notFound, ok, type Reply } from './reply.js';
import type { Store } from './store.js';
import {
  clusterView,
  eventView,
  instanceView,
  lkeNodeView,
  nbConfigView,
  nbNodeView,
  nodeBalancerView,
  poolView,
  volumeView,
} from './views.js';
import { createNbConfig } from './nb-configs.js';
import { attachVolume, deleteVolume, detachVolume } from './volumes.js';
import { type Created, cloneVolume, createVolume, resizeVolume } from './volume-lifecycle.js';
import type { LinodeResult } from '../world.js';

export interface RouteContext {
  /** Path parameters in order of appearance. */
  params: string[];
  query: URLSearchParams;
  filterHeader: string | undefined;
  body: Record<string, unknown>;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path as written here, e.g. '/volumes/:id/attach' (contract tests list routes by it). */
  template: string;
  pattern: RegExp;
  /** The scopes the endpoint accepts, comma-separated as in X-Accepted-OAuth-Scopes; '' for none. */
  scopes: string;
  handle(ctx: RouteContext): Reply;
}

/** Fields each collection accepts in X-Filter (linode.md §1, from x-linode-filterable). */
const FILTERABLE = {
  volumes: new Set(['label', 'tags']),
  linodes: new Set(['id', 'label', 'region', 'image', 'group', 'tags', 'ipv4']),
  clusters: new Set(['label', 'region', 'k8s_version', 'tags']),
  pools: new Set(['id', 'tags']),
  nodeBalancers: new Set(['label', 'region', 'ipv4', 'tags']),
  none: new Set<string>(),
  events: new Set(['id', 'action', 'created', 'entity.id', 'entity.type', 'read']),
};

/** '/volumes/:id/attach' → its template and a RegExp; `:name` matches digits, `*name` any one segment. */
function path(template: string): { template: string; pattern: RegExp } {
  const source = template.replace(/:\w+/g, '(\\d+)').replace(/\*\w+/g, '([^/]+)');
  return { template, pattern: new RegExp(`^${source}/?$`) };
}

function num(ctx: RouteContext, index: number): number {
  return Number(ctx.params[index]);
}

/** A volume made or changed: 200 with the volume as it is now. */
function fromCreated(store: Store, result: Created): Reply {
  return result.ok
    ? fromResult({ ok: true }, () => volumeView(store, result.volume))
    : fromResult(result, () => ({}));
}

function fromResult(result: LinodeResult, body: () => unknown): Reply {
  return result.ok ? ok(body()) : apiError(result.status, result.reason, result.field);
}

export function createRoutes(store: Store): Route[] {
  const byId = <T>(map: Map<number, T>, id: number, view: (record: T) => unknown): Reply => {
    const record = map.get(id);
    return record === undefined ? notFound() : ok(view(record));
  };
  const sorted = <T extends { id: number }>(map: Map<number, T>): T[] =>
    [...map.values()].sort((a, b) => a.id - b.id);

  return [
    {
      method: 'GET',
      ...path('/account'),
      scopes: 'account:read_only',
      handle: () => ok(accountView()),
    },
    {
      method: 'GET',
      ...path('/profile'),
      // The spec asks no OAuth scope of GET /profile.
      scopes: '',
      handle: () => ok(profileView(store)),
    },

    {
      method: 'GET',
      ...path('/linode/instances'),
      scopes: 'linodes:read_only',
      handle: (ctx) => collection(ctx, sorted(store.instances).map(instanceView), FILTERABLE.linodes),
    },
    {
      method: 'GET',
      ...path('/linode/instances/:id'),
      scopes: 'linodes:read_only',
      handle: (ctx) => byId(store.instances, num(ctx, 0), instanceView),
    },
    {
      method: 'GET',
      ...path('/linode/instances/:id/volumes'),
      scopes: 'linodes:read_only',
      handle: (ctx) => {
        const linodeId = num(ctx, 0);
        if (!store.instances.has(linodeId)) return notFound();
        const attached = sorted(store.volumes).filter((v) => v.linodeId === linodeId);
        return collection(
          ctx,
          attached.map((v) => volumeView(store, v)),
          FILTERABLE.volumes,
        );
      },
    },
    ...(['boot', 'reboot', 'shutdown'] as const).map((action): Route => ({
      method: 'POST',
      ...path(`/linode/instances/:id/${action}`),
      scopes: 'linodes:read_write',
      handle: (ctx) => powerAction(store, num(ctx, 0), action, ctx.body['config_id']),
    })),

    {
      method: 'GET',
      ...path('/volumes'),
      scopes: 'volumes:read_only',
      handle: (ctx) =>
        collection(
          ctx,
          sorted(store.volumes).map((v) => volumeView(store, v)),
          FILTERABLE.volumes,
        ),
    },
    {
      method: 'GET',
      ...path('/volumes/:id'),
      scopes: 'volumes:read_only',
      handle: (ctx) => byId(store.volumes, num(ctx, 0), (v) => volumeView(store, v)),
    },
    {
      method: 'POST',
      ...path('/volumes/:id/attach'),
      scopes: 'volumes:read_write,linodes:read_write',
      handle: (ctx) => {
        const id = num(ctx, 0);
        const result = attachVolume(store, id, {
          linodeId: ctx.body['linode_id'],
          configId: ctx.body['config_id'],
          persistAcrossBoots: ctx.body['persist_across_boots'],
        });
        return fromResult(result, () => {
          const volume = store.volumes.get(id);
          return volume === undefined ? {} : volumeView(store, volume);
        });
      },
    },
    {
      method: 'POST',
      ...path('/volumes'),
      scopes: 'volumes:read_write',
      handle: (ctx) => fromCreated(store, createVolume(store, ctx.body)),
    },
    {
      method: 'POST',
      ...path('/volumes/:id/clone'),
      scopes: 'volumes:read_write',
      handle: (ctx) => fromCreated(store, cloneVolume(store, num(ctx, 0), ctx.body)),
    },
    {
      method: 'POST',
      ...path('/volumes/:id/resize'),
      scopes: 'volumes:read_write',
      handle: (ctx) => fromCreated(store, resizeVolume(store, num(ctx, 0), ctx.body)),
    },
    {
      method: 'POST',
      ...path('/volumes/:id/detach'),
      scopes: 'volumes:read_write,linodes:read_write',
      handle: (ctx) => fromResult(detachVolume(store, num(ctx, 0)), () => ({})),
    },
    {
      method: 'DELETE',
      ...path('/volumes/:id'),
      scopes: 'volumes:read_write',
      handle: (ctx) => fromResult(deleteVolume(store, num(ctx, 0)), () => ({})),
    },

    {
      method: 'GET',
      ...path('/lke/clusters'),
      scopes: 'lke:read_only',
      handle: (ctx) => collection(ctx, sorted(store.clusters).map(clusterView), FILTERABLE.clusters),
    },
    {
      method: 'GET',
      ...path('/lke/clusters/:id'),
      scopes: 'lke:read_only',
      handle: (ctx) => byId(store.clusters, num(ctx, 0), clusterView),
    },
    {
      method: 'GET',
      ...path('/lke/clusters/:id/pools'),
      scopes: 'lke:read_only',
      handle: (ctx) => {
        const clusterId = num(ctx, 0);
        if (!store.clusters.has(clusterId)) return notFound();
        return collection(ctx, poolsOf(store, clusterId).map(poolView), FILTERABLE.pools);
      },
    },
    {
      method: 'GET',
      ...path('/lke/clusters/:id/pools/:pool'),
      scopes: 'lke:read_only',
      handle: (ctx) => {
        const pool = store.pools.get(num(ctx, 1));
        return pool === undefined || pool.clusterId !== num(ctx, 0) ? notFound() : ok(poolView(pool));
      },
    },
    {
      method: 'GET',
      ...path('/lke/clusters/:id/nodes/*node'),
      scopes: 'lke:read_write',
      handle: (ctx) => {
        const found = findNode(store, num(ctx, 0), ctx.params[1] ?? '');
        return found === undefined ? notFound() : ok(lkeNodeView(found.node));
      },
    },
    {
      method: 'POST',
      ...path('/lke/clusters/:id/nodes/*node/recycle'),
      scopes: 'lke:read_write',
      handle: (ctx) => recycleNode(store, num(ctx, 0), ctx.params[1] ?? ''),
    },

    {
      method: 'GET',
      ...path('/nodebalancers'),
      scopes: 'nodebalancers:read_only',
      handle: (ctx) =>
        collection(
          ctx,
          sorted(store.nodeBalancers).map((nb) => nodeBalancerView(store, nb)),
          FILTERABLE.nodeBalancers,
        ),
    },
    {
      method: 'GET',
      ...path('/nodebalancers/:id'),
      scopes: 'nodebalancers:read_only',
      handle: (ctx) => byId(store.nodeBalancers, num(ctx, 0), (nb) => nodeBalancerView(store, nb)),
    },
    {
      method: 'GET',
      ...path('/nodebalancers/:id/configs'),
      scopes: 'nodebalancers:read_only',
      handle: (ctx) => {
        const nb = store.nodeBalancers.get(num(ctx, 0));
        if (nb === undefined) return notFound();
        return collection(
          ctx,
          nb.configs.map((c) => nbConfigView(store, nb, c)),
          FILTERABLE.none,
        );
      },
    },
    {
      method: 'POST',
      ...path('/nodebalancers/:id/configs'),
      scopes: 'nodebalancers:read_write',
      handle: (ctx) => {
        const nb = store.nodeBalancers.get(num(ctx, 0));
        const result = createNbConfig(store, num(ctx, 0), ctx.body);
        if (!result.ok || nb === undefined)
          return result.ok
            ? notFound()
            : apiError(result.status, result.reason, 'field' in result ? result.field : undefined);
        return ok(nbConfigView(store, nb, result.config));
      },
    },
    {
      method: 'GET',
      ...path('/nodebalancers/:id/configs/:config'),
      scopes: 'nodebalancers:read_only',
      handle: (ctx) => {
        const nb = store.nodeBalancers.get(num(ctx, 0));
        const config = nb?.configs.find((c) => c.id === num(ctx, 1));
        return nb === undefined || config === undefined ? notFound() : ok(nbConfigView(store, nb, config));
      },
    },
    {
      method: 'GET',
      ...path('/nodebalancers/:id/configs/:config/nodes'),
      scopes: 'nodebalancers:read_only',
      handle: (ctx) => {
        const nb = store.nodeBalancers.get(num(ctx, 0));
        const config = nb?.configs.find((c) => c.id === num(ctx, 1));
        if (nb === undefined || config === undefined) return notFound();
        return collection(
          ctx,
          config.nodes.map((n) => nbNodeView(store, nb, config, n)),
          FILTERABLE.none,
        );
      },
    },

    {
      method: 'GET',
      ...path('/account/events'),
      scopes: 'events:read_only',
      // Newest first, as Cloud Manager and linodego expect from the real API.
      handle: (ctx) =>
        collection(
          ctx,
          sorted(store.events)
            .reverse()
            .map((e) => eventView(store, e)),
          FILTERABLE.events,
        ),
    },
    {
      method: 'GET',
      ...path('/account/events/:id'),
      scopes: 'events:read_only',
      handle: (ctx) => byId(store.events, num(ctx, 0), (e) => eventView(store, e)),
    },
  ];
}

/** Finds the route for a request path (already stripped of /v4 or /v4beta). */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): { route: Route; params: string[] } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (match !== null) return { route, params: match.slice(1).map((p) => decodeURIComponent(p)) };
  }
  return undefined;
}
