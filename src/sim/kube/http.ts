// The HTTP face of the simulated API server: routes a request to discovery or to a verb on a
// resource, and answers JSON (metav1.Status on every failure), as kube-apiserver does.
import type http from 'node:http';
import type { KubeObject } from '../world.js';
import type { Api, DeleteOptions, PatchType } from './api.js';
import { applyPatch } from './api.js';
import { requestAttributes, selfSubjectAccessReview } from './access-http.js';
import type { AccessControl } from './authorization.js';
import { mediaType, parseJsonBody, readBody } from './body.js';
import {
  AGGREGATED_CONTENT_TYPE,
  VERSION_INFO,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  openapiGroupVersion,
  openapiRoot,
  wantsAggregated,
} from './discovery.js';
import { ApiError, errors, successStatus } from './errors.js';
import { withSimulatedAges } from './client-ages.js';
import { evict } from './eviction.js';
import type { MetricsRequest } from './metrics.js';
import type { ResourceDef } from './registry.js';
import { apiVersionOf } from './registry.js';
import { decodeSelfSubjectAccessReview } from './protobuf.js';
import { parseRoute } from './route.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { toTable, wantsTable } from './table.js';
import type { WatchHub } from './watch.js';
import { markDryRun } from '../dry-run-marks.js';

export interface HttpContext {
  api: Api;
  hub: WatchHub;
  present: (def: ResourceDef, object: KubeObject) => KubeObject;
  /** Runs before each request (lazy fault synchronisation). */
  beforeRequest: () => void;
  /** Whether the pdb-never-allows fault holds this budget at zero disruptions. */
  pdbNeverAllows?: (pdb: KubeObject) => boolean;
  /** When a watch-drop fault matches this path: how many real ms the stream may live. */
  watchDropMs?: (path: string) => number | undefined;
  /** The access policy every resource request is checked against. */
  access: AccessControl;
  /** metrics.k8s.io answers, computed from the simulated usage (metrics.ts). */
  metrics?: (request: MetricsRequest) => unknown;
  /** Serves GET pods/{name}/log (text, maybe streamed). */
  podLog?: (
    namespace: string,
    name: string,
    query: URLSearchParams,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => void;
}

type Reply = { status: number; body: unknown; contentType?: string };

function send(res: http.ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': reply.contentType ?? 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
  });
  res.end(text);
}

function dryRunOf(values: string[], what: string): boolean {
  if (values.length === 0) return false;
  if (values.every((v) => v === 'All')) return true;
  throw new ApiError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${what}.meta.k8s.io "" is invalid: dryRun: Unsupported value: ${JSON.stringify(values)}: supported values: "All"`,
    reason: 'Invalid',
    details: {
      group: 'meta.k8s.io',
      kind: what,
      causes: [
        {
          reason: 'FieldValueNotSupported',
          message: `Unsupported value: ${JSON.stringify(values)}: supported values: "All"`,
          field: 'dryRun',
        },
      ],
    },
    code: 422,
  });
}

function patchTypeOf(type: string): PatchType {
  switch (type) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw errors.unsupportedMediaType(type);
  }
}

function intParam(value: string | null): number | undefined {
  if (value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw errors.badRequest(`invalid integer value: ${value}`);
  return n;
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: token.rv, start: token.start })).toString(
    'base64url',
  );
}

function decodeContinue(text: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as {
      rv?: unknown;
      start?: unknown;
    };
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string')
      return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through
  }
  throw errors.badRequest(`continue key is not valid: ${text}`);
}

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function stripTypeMeta(object: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

export function createHttpHandler(
  ctx: HttpContext,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const { api, hub } = ctx;

  const list = (
    def: ResourceDef,
    namespace: string | undefined,
    query: URLSearchParams,
    accept: string | undefined,
    present: HttpContext['present'] = ctx.present,
  ): Reply => {
    const labels = parseLabelSelector(query.get('labelSelector'));
    const fields = parseFieldSelector(query.get('fieldSelector'), def);
    const limit = intParam(query.get('limit'));
    const cont = query.get('continue');
    let items = api.store
      .view(def, def.namespaced ? namespace : undefined)
      .filter((o) => matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o));
    const rv = api.store.currentRv();
    if (cont !== null && cont !== '') {
      const token = decodeContinue(cont);
      // Items are in key order: the page starts after the token's key, found by bisection.
      let low = 0;
      let high = items.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        const item = items[middle];
        if (item !== undefined && keyOf(item) > token.start) high = middle;
        else low = middle + 1;
      }
      items = items.slice(low);
    }
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (limit !== undefined && limit > 0 && items.length > limit) {
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      if (last !== undefined) metadata.continue = encodeContinue({ rv, start: keyOf(last) });
      metadata.remainingItemCount = items.length - limit;
      items = page;
    }
    // Stored objects go out as they are (serialised at once); present() stamps a Node's heartbeats,
    // so a Node is copied first.
    const presented = items.map((o) => present(def, def.kind === 'Node' ? structuredClone(o) : o));
    if (wantsTable(accept)) {
      const table = toTable(def, presented, metadata, api.clock.nowMs());
      if (table !== undefined) return { status: 200, body: table };
    }
    return {
      status: 200,
      body: {
        kind: `${def.kind}List`,
        apiVersion: apiVersionOf(def),
        metadata,
        items: presented.map(stripTypeMeta),
      },
    };
  };

  const deleteOptionsOf = (body: unknown, query: URLSearchParams): DeleteOptions => {
    const options: DeleteOptions = {};
    if (body !== undefined && body !== null && typeof body === 'object') {
      const b = body as {
        gracePeriodSeconds?: number;
        propagationPolicy?: string;
        preconditions?: { uid?: string; resourceVersion?: string };
        dryRun?: string[];
        orphanDependents?: boolean;
      };
      if (typeof b.gracePeriodSeconds === 'number') options.gracePeriodSeconds = b.gracePeriodSeconds;
      const policy = b.propagationPolicy ?? (b.orphanDependents === true ? 'Orphan' : undefined);
      if (policy !== undefined) options.propagationPolicy = policyOf(policy);
      if (b.preconditions !== undefined) options.preconditions = b.preconditions;
      options.dryRun = dryRunOf(b.dryRun ?? [], 'DeleteOptions');
      return options;
    }
    const grace = intParam(query.get('gracePeriodSeconds'));
    if (grace !== undefined) options.gracePeriodSeconds = grace;
    const policy = query.get('propagationPolicy');
    if (policy !== null) options.propagationPolicy = policyOf(policy);
    options.dryRun = dryRunOf(query.getAll('dryRun'), 'DeleteOptions');
    return options;
  };

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const query = url.searchParams;
    const accept = req.headers.accept;
    const route = parseRoute(url.pathname);
    const present = withSimulatedAges(ctx.present, req, api.clock.nowMs());
    const raw = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
    ctx.beforeRequest();

    switch (route.type) {
      case 'version':
        return send(res, { status: 200, body: VERSION_INFO });
      case 'api':
        if (wantsAggregated(accept))
          return send(res, {
            status: 200,
            body: aggregatedDiscovery(true),
            contentType: AGGREGATED_CONTENT_TYPE,
          });
        return send(res, { status: 200, body: apiVersions(req.headers.host ?? '127.0.0.1') });
      case 'apis':
        if (wantsAggregated(accept))
          return send(res, {
            status: 200,
            body: aggregatedDiscovery(false),
            contentType: AGGREGATED_CONTENT_TYPE,
          });
        return send(res, { status: 200, body: apiGroupList() });
      case 'group': {
        const body = apiGroup(route.group);
        if (body === undefined) throw errors.notFoundPath();
        return send(res, { status: 200, body });
      }
      case 'resources': {
        const body = apiResourceList(route.group, route.version);
        if (body === undefined) throw errors.notFoundPath();
        return send(res, { status: 200, body });
      }
      case 'openapi-root':
        return send(res, { status: 200, body: openapiRoot() });
      case 'openapi': {
        const body = openapiGroupVersion(route.group, route.version);
        if (body === undefined) throw errors.notFoundPath();
        return send(res, { status: 200, body });
      }
      case 'unknown':
        throw errors.notFoundPath();
      case 'resource':
        break;
    }

    const { def, name, subresource } = route;
    const namespace = def.namespaced ? route.namespace : undefined;
    if (def.namespaced && route.namespace === undefined && (name !== undefined || method !== 'GET'))
      throw errors.notFoundPath();
    const watch = route.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';

    if (def.review === true) {
      if (method !== 'POST' || name !== undefined) throw errors.methodNotAllowed(method);
      const type = mediaType(req);
      const body =
        type === 'application/vnd.kubernetes.protobuf'
          ? decodeSelfSubjectAccessReview(raw)
          : parseJsonBody(raw, type);
      return send(res, { status: 201, body: selfSubjectAccessReview(ctx.access, def, body) });
    }
    ctx.access.authorize(
      requestAttributes(def, {
        method,
        namespace,
        name,
        subresource,
        watch,
        fieldSelector: query.get('fieldSelector'),
      }),
    );
    if (def.metrics === true) {
      if (method !== 'GET' || watch || ctx.metrics === undefined) throw errors.methodNotAllowed(method);
      const labelSelector = query.get('labelSelector');
      return send(res, { status: 200, body: ctx.metrics({ def, namespace, name, labelSelector }) });
    }

    if (name === undefined) {
      if (method === 'GET' && watch) {
        hub.serve(
          {
            def,
            namespace,
            labels: parseLabelSelector(query.get('labelSelector')),
            fields: parseFieldSelector(query.get('fieldSelector'), def),
            resourceVersion: query.get('resourceVersion') ?? undefined,
            timeoutSeconds: intParam(query.get('timeoutSeconds')),
            bookmarks: query.get('allowWatchBookmarks') === 'true',
            dropAfterMs: ctx.watchDropMs?.(url.pathname),
            present,
            asTable: wantsTable(req.headers.accept)
              ? (object) => toTable(def, [object], {}, api.clock.nowMs())
              : undefined,
          },
          req,
          res,
        );
        return;
      }
      if (method === 'GET') return send(res, list(def, namespace, query, accept, present));
      if (method === 'POST') {
        const dryRun = dryRunOf(query.getAll('dryRun'), 'CreateOptions');
        const body = parseJsonBody(raw, mediaType(req));
        const created = api.create(def, namespace, body as KubeObject, { dryRun });
        return send(res, { status: 201, body: created });
      }
      if (method === 'DELETE') {
        const options = deleteOptionsOf(parseJsonBody(raw, mediaType(req)), query);
        if (options.dryRun === true) markDryRun(req);
        const labels = parseLabelSelector(query.get('labelSelector'));
        const fields = parseFieldSelector(query.get('fieldSelector'), def);
        const deleted: unknown[] = [];
        for (const o of api.store.list(def, namespace))
          if (matchesLabels(labels, o.metadata.labels) && matchesFields(fields, o))
            deleted.push(
              stripTypeMeta(api.delete(def, o.metadata.namespace, o.metadata.name, options).object),
            );
        return send(res, {
          status: 200,
          body: { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: {}, items: deleted },
        });
      }
      throw errors.methodNotAllowed(method);
    }

    if (subresource === 'scale' && def.subresources.includes('scale')) {
      if (method === 'GET') return send(res, { status: 200, body: api.getScale(def, namespace, name) });
      const dryRun = dryRunOf(query.getAll('dryRun'), method === 'PUT' ? 'UpdateOptions' : 'PatchOptions');
      const body = parseJsonBody(raw, mediaType(req));
      if (method === 'PUT') {
        const scale = api.updateScale(def, namespace, name, () => body as KubeObject, { dryRun });
        return send(res, { status: 200, body: scale });
      }
      if (method === 'PATCH') {
        const type = patchTypeOf(mediaType(req));
        const scale = api.updateScale(
          def,
          namespace,
          name,
          (current) => applyPatch(current, type, body) as KubeObject,
          { dryRun },
        );
        return send(res, { status: 200, body: scale });
      }
      throw errors.methodNotAllowed(method);
    }
    if (subresource === 'eviction' && def.kind === 'Pod' && namespace !== undefined) {
      if (method !== 'POST') throw errors.methodNotAllowed(method);
      const body = (parseJsonBody(raw, mediaType(req)) ?? {}) as { deleteOptions?: unknown };
      const options = deleteOptionsOf(body.deleteOptions ?? {}, new URLSearchParams());
      if (dryRunOf(query.getAll('dryRun'), 'CreateOptions')) options.dryRun = true;
      return send(res, { status: 201, body: evict(api, namespace, name, options, ctx.pdbNeverAllows) });
    }
    if (subresource === 'binding' && def.kind === 'Pod' && namespace !== undefined) {
      if (method !== 'POST') throw errors.methodNotAllowed(method);
      const body = (parseJsonBody(raw, mediaType(req)) ?? {}) as { target?: { name?: string } };
      const target = body.target?.name;
      if (target === undefined) throw errors.badRequest('binding target is required');
      const pod = api.get(def, namespace, name);
      if ((pod.spec as { nodeName?: string }).nodeName)
        throw errors.conflict(
          def,
          name,
          `pod ${name} is already assigned to node "${(pod.spec as { nodeName?: string }).nodeName}"`,
        );
      api.mutate(
        def,
        namespace,
        name,
        (p) => {
          (p.spec as { nodeName?: string }).nodeName = target;
        },
        { subresource: 'all' },
      );
      return send(res, {
        status: 201,
        body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 },
      });
    }
    if (subresource === 'log' && def.kind === 'Pod' && namespace !== undefined && ctx.podLog !== undefined) {
      if (method !== 'GET') throw errors.methodNotAllowed(method);
      return ctx.podLog(namespace, name, query, req, res);
    }
    if (subresource !== undefined && subresource !== 'status') throw errors.notFoundPath();
    if (subresource === 'status' && !def.subresources.includes('status')) throw errors.notFoundPath();
    const writeSub = subresource === 'status' ? ('status' as const) : undefined;

    switch (method) {
      case 'GET': {
        const object = present(def, api.get(def, namespace, name));
        if (wantsTable(accept) && subresource === undefined) {
          const table = toTable(def, [object], {}, api.clock.nowMs());
          if (table !== undefined) return send(res, { status: 200, body: table });
        }
        return send(res, { status: 200, body: object });
      }
      case 'PUT': {
        const dryRun = dryRunOf(query.getAll('dryRun'), 'UpdateOptions');
        const body = parseJsonBody(raw, mediaType(req)) as KubeObject;
        const options = writeSub === undefined ? { dryRun } : { dryRun, subresource: writeSub };
        return send(res, { status: 200, body: api.update(def, namespace, name, body, options) });
      }
      case 'PATCH': {
        const dryRun = dryRunOf(query.getAll('dryRun'), 'PatchOptions');
        const type = patchTypeOf(mediaType(req));
        const body = parseJsonBody(raw, mediaType(req));
        const options = writeSub === undefined ? { dryRun } : { dryRun, subresource: writeSub };
        const result = api.patch(def, namespace, name, type, body, options);
        return send(res, { status: result.created ? 201 : 200, body: result.object });
      }
      case 'DELETE': {
        if (subresource !== undefined) throw errors.methodNotAllowed(method);
        const options = deleteOptionsOf(parseJsonBody(raw, mediaType(req)), query);
        if (options.dryRun === true) markDryRun(req);
        const result = api.delete(def, namespace, name, options);
        if (result.gone && !def.returnDeletedObject)
          return send(res, { status: 200, body: successStatus(def, name, result.object.metadata.uid) });
        return send(res, { status: 200, body: result.object });
      }
      default:
        throw errors.methodNotAllowed(method);
    }
  };

  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      const status =
        error instanceof ApiError
          ? error.status
          : errors.internal(error instanceof Error ? error.message : String(error)).status;
      send(res, { status: status.code, body: status });
    });
  };
}

function policyOf(value: string): 'Background' | 'Foreground' | 'Orphan' {
  if (value === 'Background' || value === 'Foreground' || value === 'Orphan') return value;
  throw errors.badRequest(
    `propagationPolicy: Unsupported value: "${value}": supported values: "Foreground", "Background", "Orphan"`,
  );
}
