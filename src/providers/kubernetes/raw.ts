// Raw JSON reads, exactly as the API server sends them, for copying live objects into the dry-run
// twin (client-node's typed models would turn timestamps into Dates and drop unknown fields).
import { request as httpRequest } from 'node:http';
import { type RequestOptions, request as httpsRequest } from 'node:https';
import type { RawKubeObject } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { kubeError } from './errors.js';
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

/** What `read` returns, or undefined when the kubeconfig may not read it (RBAC). */
async function unlessRefused<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isRunbookError(error) && error.code === 'access-refused') return undefined;
    throw error;
  }
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
