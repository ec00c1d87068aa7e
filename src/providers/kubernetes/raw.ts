// Raw JSON reads, exactly as the API server sends them, for copying live objects into the dry-run
// twin (client-node's typed models would turn timestamps into Dates and drop unknown fields).
import { request as httpRequest } from 'node:http';
import { type RequestOptions, request as httpsRequest } from 'node:https';
import type { RawKubeObject } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { isNotFound, kubeError } from './errors.js';
import { PAGE_SIZE } from './paging.js';
import { secretShapes } from './secret-shapes.js';
import { assumedSecrets } from './assumed-secrets.js';
import { isRunbookError } from '../../engine/errors.js';

type RawObject = RawKubeObject;

interface RawList {
  apiVersion?: string;
  kind?: string;
  metadata?: { continue?: string };
  items?: RawObject[];
}

const MAX_PAGES = 100;

/**
 * One GET, parsed. `scrub` sees the parsed body before anyone else does, and the raw bytes are
 * zeroed once parsed: a Secret's values are dropped inside this read (see secret-shapes.ts).
 */
async function getJson(
  clients: KubeClients,
  path: string,
  scrub: (body: unknown) => unknown = (body) => body,
): Promise<unknown> {
  const url = new URL(path, clients.identity.server);
  const options: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' }, timeout: 30_000 };
  await clients.config.applyToHTTPSOptions(options);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        for (const chunk of chunks) chunk.fill(0);
        try {
          const text = raw.toString('utf8');
          if ((res.statusCode ?? 0) >= 400) {
            reject(
              Object.assign(new Error(`HTTP ${res.statusCode ?? 0}`), { code: res.statusCode, body: text }),
            );
            return;
          }
          resolve(scrub(JSON.parse(text)));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        } finally {
          raw.fill(0);
        }
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Every object of one collection, paged; list items get back the kind the server leaves out. With
 * `truncate`, a collection longer than MAX_PAGES is cut there instead of refused (Events: a busy
 * cluster has more of them than a twin needs).
 */
export async function listRaw(
  clients: KubeClients,
  collectionPath: string,
  options: { truncate?: boolean; scrub?: (list: unknown) => unknown } = {},
): Promise<RawObject[]> {
  const items: RawObject[] = [];
  let cont: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({
      limit: String(PAGE_SIZE),
      ...(cont === undefined ? {} : { continue: cont }),
    });
    const list = (await getJson(clients, `${collectionPath}?${query.toString()}`, options.scrub).catch(
      (error: unknown) => {
        throw kubeError(error, clients.identity.server, `read ${collectionPath}`);
      },
    )) as RawList;
    const kind = (list.kind ?? '').replace(/List$/, '');
    for (const item of list.items ?? []) {
      items.push({
        ...item,
        apiVersion: item.apiVersion ?? list.apiVersion ?? 'v1',
        kind: item.kind ?? kind,
      });
    }
    cont = list.metadata?.continue;
    if (cont === undefined || cont === '') return items;
  }
  if (options.truncate === true) return items;
  throw kubeError(
    new Error(`more than ${MAX_PAGES} pages`),
    clients.identity.server,
    `read ${collectionPath}`,
  );
}

const CLUSTER_COLLECTIONS = [
  '/api/v1/nodes',
  '/api/v1/persistentvolumes',
  '/apis/storage.k8s.io/v1/storageclasses',
  '/apis/storage.k8s.io/v1/volumeattachments',
];

const NAMESPACED_COLLECTIONS = [
  '/api/v1/{ns}pods',
  '/api/v1/{ns}persistentvolumeclaims',
  '/api/v1/{ns}services',
  // Pods mount them: without them a twin's pods never start. Secrets too, but read apart: see below.
  '/api/v1/{ns}configmaps',
  '/apis/apps/v1/{ns}deployments',
  '/apis/apps/v1/{ns}replicasets',
  '/apis/apps/v1/{ns}statefulsets',
  '/apis/apps/v1/{ns}daemonsets',
  '/apis/policy/v1/{ns}poddisruptionbudgets',
];

/**
 * The other kinds a team's repository holds, copied so a dry run plans against the same objects
 * (a ServiceAccount a pod names, the Ingress in front of a Service, the Job a CronJob made). A run
 * does not depend on them: what the kubeconfig may not read, or the server does not serve, is left out.
 */
const REPOSITORY_CLUSTER_COLLECTIONS = [
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  '/apis/rbac.authorization.k8s.io/v1/clusterroles',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
  '/apis/networking.k8s.io/v1/ingressclasses',
];

const REPOSITORY_NAMESPACED_COLLECTIONS = [
  '/api/v1/{ns}serviceaccounts',
  '/apis/rbac.authorization.k8s.io/v1/{ns}roles',
  '/apis/rbac.authorization.k8s.io/v1/{ns}rolebindings',
  '/apis/networking.k8s.io/v1/{ns}ingresses',
  '/apis/networking.k8s.io/v1/{ns}networkpolicies',
  '/apis/batch/v1/{ns}cronjobs',
  '/apis/batch/v1/{ns}jobs',
];

/** What `read` returns, or undefined when the kubeconfig may not read it (RBAC). */
async function unlessRefused<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isRunbookError(error) && error.code === 'access-refused') return undefined;
    throw error;
  }
}

/** What `read` returns, or nothing when the kubeconfig may not read it or the server does not serve it. */
async function ifReadable(read: () => Promise<RawObject[]>): Promise<RawObject[]> {
  try {
    return await read();
  } catch (error) {
    if (isRunbookError(error) && (error.code === 'access-refused' || isNotFound(error.cause))) return [];
    throw error;
  }
}

interface CrdShape {
  spec?: {
    group?: string;
    scope?: string;
    names?: { plural?: string };
    versions?: Array<{ name?: string; served?: boolean; storage?: boolean }>;
  };
}

/** The collections of each CRD's custom resources, at its storage version, in the given scopes. */
function customResourceCollections(crds: readonly RawObject[], scopes: readonly string[]): string[] {
  return crds.flatMap((crd) => {
    const spec = (crd as CrdShape).spec ?? {};
    const version = (spec.versions ?? []).find((v) => v.storage === true && v.served !== false)?.name;
    const plural = spec.names?.plural;
    if (spec.group === undefined || version === undefined || plural === undefined) return [];
    const base = `/apis/${spec.group}/${version}/`;
    return spec.scope === 'Cluster'
      ? [`${base}${plural}`]
      : scopes.map((scope) => `${base}${scope}${plural}`);
  });
}

/** The kinds of a team's repository beyond what runbooks act on, custom resources included. */
async function repositoryKinds(clients: KubeClients, scopes: readonly string[]): Promise<RawObject[]> {
  const paths = [
    ...REPOSITORY_CLUSTER_COLLECTIONS,
    ...scopes.flatMap((scope) => REPOSITORY_NAMESPACED_COLLECTIONS.map((p) => p.replace('{ns}', scope))),
  ];
  const objects: RawObject[] = [];
  for (const path of paths) objects.push(...(await ifReadable(() => listRaw(clients, path))));
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  for (const path of customResourceCollections(crds, scopes))
    objects.push(...(await ifReadable(() => listRaw(clients, path))));
  return objects;
}

export async function snapshotRaw(
  clients: KubeClients,
  namespaces: readonly string[] | 'all',
): Promise<RawObject[]> {
  const scopes = namespaces === 'all' ? [''] : namespaces.map((ns) => `namespaces/${ns}/`);
  const paths = [
    ...CLUSTER_COLLECTIONS,
    ...scopes.flatMap((scope) => NAMESPACED_COLLECTIONS.map((p) => p.replace('{ns}', scope))),
  ];
  const objects: RawObject[] = [];
  // One collection at a time: a twin is not worth a burst against a struggling API server.
  for (const path of paths) objects.push(...(await listRaw(clients, path)));
  objects.push(...(await repositoryKinds(clients, scopes)));
  let secretsRefused = false;
  for (const scope of scopes) {
    // Names and key names only: each value is replaced inside the read, before anything keeps it.
    const secrets = await unlessRefused(() =>
      listRaw(clients, `/api/v1/${scope}secrets`, { scrub: secretShapes }),
    );
    if (secrets === undefined) secretsRefused = true;
    objects.push(...(secrets ?? []));
    // What the runbooks take as evidence (FailedMount, FailedKillPod); past MAX_PAGES, left out.
    objects.push(
      ...((await unlessRefused(() => listRaw(clients, `/api/v1/${scope}events`, { truncate: true }))) ?? []),
    );
  }
  if (secretsRefused) objects.push(...assumedSecrets(objects));
  const allNamespaces = await listRaw(clients, '/api/v1/namespaces');
  objects.push(
    ...allNamespaces.filter((ns) => namespaces === 'all' || namespaces.includes(ns.metadata.name)),
  );
  return objects;
}
