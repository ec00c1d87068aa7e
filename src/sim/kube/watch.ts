// Watch streams: newline-delimited JSON events over a chunked 200 response, resumable from a
// resourceVersion, with selectors applied to both sides of every change (leaving = DELETED).
import type http from 'node:http';
import type { KubeObject } from '../world.js';
import type { ResourceDef } from './registry.js';
import { apiVersionOf } from './registry.js';
import { matchesFields, matchesLabels, type FieldSelector, type LabelSelector } from './selectors.js';
import type { Store, StoreEvent } from './store.js';

export interface WatchRequest {
  def: ResourceDef;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | undefined;
  timeoutSeconds: number | undefined;
  bookmarks: boolean;
  /** A watch-drop fault: the connection is cut this many real ms after it opens. */
  dropAfterMs?: number | undefined;
  /** Transforms an object for output (lazy fields such as node heartbeats). */
  present: (def: ResourceDef, object: KubeObject) => KubeObject;
  /** Set when the client asked for Tables (`kubectl get -w`): each event's object as a one-row Table. */
  asTable?: ((object: KubeObject) => unknown) | undefined;
}

export interface WatchHub {
  serve(request: WatchRequest, req: http.IncomingMessage, res: http.ServerResponse): void;
  /** Ends every open stream. */
  closeAll(): void;
  /** Number of open streams (tests, diagnostics). */
  open(): number;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export function createWatchHub(store: Store): WatchHub {
  const closers = new Set<() => void>();

  return {
    open: () => closers.size,
    closeAll() {
      for (const close of [...closers]) close();
    },
    serve(w, req, res) {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-cache, private',
        'Transfer-Encoding': 'chunked',
      });
      res.flushHeaders();

      const matches = (object: KubeObject | undefined): boolean =>
        object !== undefined &&
        (w.namespace === undefined || !w.def.namespaced || object.metadata.namespace === w.namespace) &&
        matchesLabels(w.labels, object.metadata.labels) &&
        matchesFields(w.fields, object);

      const send = (type: EventType, object: unknown): void => {
        if (res.writableEnded || res.destroyed) return;
        const changed = type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED';
        const body = changed && w.asTable ? (w.asTable(object as KubeObject) ?? object) : object;
        res.write(`${JSON.stringify({ type, object: body })}\n`);
      };

      const translate = (event: StoreEvent): void => {
        const now = matches(event.object);
        const before = event.type === 'ADDED' ? false : matches(event.previous);
        // present() stamps a Node's heartbeats on the object it is given: never on the stored one.
        const object = w.present(w.def, w.def.kind === 'Node' ? structuredClone(event.object) : event.object);
        if (event.type === 'DELETED') {
          if (before || now) send('DELETED', object);
        } else if (event.type === 'ADDED') {
          if (now) send('ADDED', object);
        } else if (before && now) send('MODIFIED', object);
        else if (now) send('ADDED', object);
        else if (before) send('DELETED', object);
      };

      const subscription: { off?: () => void } = {};
      let timer: NodeJS.Timeout | undefined;
      let dropTimer: NodeJS.Timeout | undefined;
      const close = (): void => {
        closers.delete(close);
        subscription.off?.();
        if (timer !== undefined) clearTimeout(timer);
        if (dropTimer !== undefined) clearTimeout(dropTimer);
        if (!res.writableEnded) res.end();
      };
      closers.add(close);
      req.on('close', close);
      res.on('close', close);

      const rv = w.resourceVersion;
      if (rv === undefined || rv === '' || rv === '0') {
        for (const object of store.view(w.def, w.def.namespaced ? w.namespace : undefined))
          if (matches(object)) send('ADDED', w.present(w.def, structuredClone(object)));
      } else {
        const from = Number(rv);
        const replay = Number.isFinite(from) ? store.since(w.def, from) : 'expired';
        if (replay === 'expired') {
          send('ERROR', {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Failure',
            message: `too old resource version: ${rv} (${store.oldestRv()})`,
            reason: 'Expired',
            code: 410,
          });
          close();
          return;
        }
        for (const event of replay) translate(event);
      }
      subscription.off = store.subscribe((event) => {
        if (event.def.plural === w.def.plural && event.def.group === w.def.group) translate(event);
      });

      if (w.dropAfterMs !== undefined) {
        // A dropped stream: the connection goes without a final chunk, as when a proxy or the
        // network cuts it.
        dropTimer = setTimeout(() => {
          closers.delete(close);
          subscription.off?.();
          if (timer !== undefined) clearTimeout(timer);
          res.destroy();
        }, w.dropAfterMs);
        dropTimer.unref();
      }
      if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) {
        // An HTTP timeout: measured on the real clock, whatever the simulated clock does.
        timer = setTimeout(() => {
          if (w.bookmarks) {
            send('BOOKMARK', {
              kind: w.def.kind,
              apiVersion: apiVersionOf(w.def),
              metadata: { resourceVersion: String(store.currentRv()) },
            });
          }
          close();
        }, w.timeoutSeconds * 1000);
        timer.unref();
      }
    },
  };
}
