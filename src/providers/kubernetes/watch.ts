// Watch-based change notification for waits: reconnects dropped streams (client-node cuts each one
// after 30 s), resumes from the last resourceVersion, re-lists after 410 Expired.
import { abortableDelay } from '../../engine/delay.js';
import type { WatchedCollection } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { kubeError, statusOf } from './errors.js';

function pathOf(collection: WatchedCollection): { path: string; query: Record<string, string> } {
  switch (collection.kind) {
    case 'pods':
      return {
        path: `/api/v1/namespaces/${collection.namespace}/pods`,
        query: collection.labelSelector === undefined ? {} : { labelSelector: collection.labelSelector },
      };
    case 'events':
      return { path: `/api/v1/namespaces/${collection.namespace}/events`, query: {} };
    case 'deployments':
      return { path: `/apis/apps/v1/namespaces/${collection.namespace}/deployments`, query: {} };
    case 'daemonsets':
    case 'statefulsets':
      return { path: `/apis/apps/v1/namespaces/${collection.namespace}/${collection.kind}`, query: {} };
    case 'nodes':
      return { path: '/api/v1/nodes', query: {} };
    case 'volumeattachments':
      return { path: '/apis/storage.k8s.io/v1/volumeattachments', query: {} };
    case 'pods-on-node':
      return { path: '/api/v1/pods', query: { fieldSelector: `spec.nodeName=${collection.node}` } };
  }
}

export async function watchChanges(
  clients: KubeClients,
  collections: readonly WatchedCollection[],
  onChange: () => void,
  signal: AbortSignal,
): Promise<void> {
  onChange();
  await Promise.all(collections.map((c) => watchOne(clients, c, onChange, signal)));
}

async function watchOne(
  clients: KubeClients,
  collection: WatchedCollection,
  onChange: () => void,
  signal: AbortSignal,
): Promise<void> {
  const { path, query } = pathOf(collection);
  const watch = new clients.lib.Watch(clients.config);
  let resourceVersion: string | undefined;
  let backoffMs = 100;

  while (!signal.aborted) {
    const ended = await new Promise<unknown>((resolve) => {
      let controller: AbortController | undefined;
      const abort = (): void => {
        controller?.abort();
        resolve(undefined);
      };
      signal.addEventListener('abort', abort, { once: true });
      watch
        .watch(
          path,
          {
            ...query,
            allowWatchBookmarks: true,
            ...(resourceVersion === undefined ? {} : { resourceVersion }),
          },
          (type: string, object: { metadata?: { resourceVersion?: string }; code?: number }) => {
            backoffMs = 100;
            if (type === 'ERROR') {
              if (object.code === 410) resourceVersion = undefined;
              return;
            }
            resourceVersion = object.metadata?.resourceVersion ?? resourceVersion;
            if (type !== 'BOOKMARK') onChange();
          },
          (error: unknown) => {
            signal.removeEventListener('abort', abort);
            resolve(error ?? undefined);
          },
        )
        .then((c) => {
          controller = c;
          if (signal.aborted) c.abort();
        })
        .catch((error: unknown) => {
          signal.removeEventListener('abort', abort);
          resolve(error);
        });
    });
    if (signal.aborted) return;
    const status = statusOf(ended);
    if (status?.code === 401 || status?.code === 403) {
      throw kubeError(ended, clients.identity.server, `watch ${path}`);
    }
    if (status?.code === 410) resourceVersion = undefined;
    // A stream that closed cleanly or dropped: whatever happened in between is caught up by
    // re-evaluating now and resuming from the last resourceVersion.
    if (ended !== undefined && (ended as { name?: string }).name !== 'TimeoutError') {
      await abortableDelay(backoffMs, signal);
      backoffMs = Math.min(backoffMs * 2, 5000);
    }
    onChange();
  }
}
