// GET pods/{name}/log as the API server serves it: text/plain, the kubelet's query options
// (container, previous, tailLines, limitBytes, sinceSeconds, sinceTime, timestamps), and follow,
// which streams new lines until the container's run ends, the pod goes or the client leaves.
import type http from 'node:http';
import type { Api } from '../api.js';
import type { KubeObject } from '../../world.js';
import { errors, failure } from '../errors.js';
import { internalIp } from '../controllers/nodes.js';
import { podNode } from '../pods.js';
import { defs } from '../controllers/runtime.js';
import { containerLog, containerOf } from './container-log.js';
import type { LogLine } from './programs.js';
import type { Saturation } from './saturation.js';

export interface PodLogSource {
  api: Api;
  saturations: () => readonly Saturation[];
}

/** How often a follow looks for new lines (real ms), and how long it may stay open at most. */
const FOLLOW_POLL_MS = 1_000;
const FOLLOW_MAX_MS = 30 * 60_000;

/** RFC 3339 with the fraction's trailing zeros trimmed, as Go's RFC3339Nano prints it. */
const stamp = (at: number): string => new Date(at).toISOString().replace(/\.?0*Z$/, 'Z');

function nonNegative(query: URLSearchParams, name: string, positive = false): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || (positive && n === 0))
    throw errors.badRequest(
      `${name}: Invalid value: ${text}: must be greater than ${positive ? '0' : 'or equal to 0'}`,
    );
  return n;
}

const flag = (query: URLSearchParams, name: string): boolean =>
  query.get(name) === 'true' || query.get(name) === '1';

/**
 * The API server reads logs from the pod's kubelet: on a node whose kubelet stopped posting status
 * (Ready Unknown) the connection times out, and the error comes back as is (500, no reason).
 */
function unreachableKubelet(api: Api, pod: KubeObject, container: string): void {
  const nodeName = podNode(pod);
  if (nodeName === undefined) return;
  const node = api.store.get(defs.node, undefined, nodeName);
  const ready = (
    node?.status as { conditions?: Array<{ type: string; status: string }> } | undefined
  )?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'Unknown') return;
  const ip = internalIp(node) ?? nodeName;
  const path = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}/${container}`;
  throw failure(
    500,
    '',
    `Get "https://${ip}:10250/containerLogs/${path}": dial tcp ${ip}:10250: i/o timeout`,
  );
}

export function servePodLog(
  source: PodLogSource,
  namespace: string,
  name: string,
  query: URLSearchParams,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const { api } = source;
  const pod = api.get(defs.pod, namespace, name);
  const container = containerOf(pod, query.get('container'));
  unreachableKubelet(api, pod, container.name);
  const previous = flag(query, 'previous');
  const timestamps = flag(query, 'timestamps');
  const tail = nonNegative(query, 'tailLines');
  const limit = nonNegative(query, 'limitBytes', true);
  const sinceSeconds = nonNegative(query, 'sinceSeconds', true);
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime !== null)
    throw errors.badRequest('at most one of sinceTime or sinceSeconds may be specified');
  const since =
    sinceSeconds !== undefined
      ? api.clock.nowMs() - sinceSeconds * 1000
      : sinceTime !== null
        ? Date.parse(sinceTime)
        : -Infinity;
  if (Number.isNaN(since)) throw errors.badRequest(`sinceTime: Invalid value: "${sinceTime}": not RFC 3339`);

  const read = (): LogLine[] | undefined => {
    const current = api.store.get(defs.pod, namespace, name);
    if (current === undefined || current.metadata.uid !== pod.metadata.uid) return undefined;
    return containerLog(current, container, previous, api.clock.nowMs(), source.saturations()).filter(
      (l) => l.at >= since,
    );
  };
  let lines = read() ?? [];
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
  let budget = limit ?? Infinity;
  const render = (batch: LogLine[]): string => {
    let text = batch.map((l) => `${timestamps ? `${stamp(l.at)} ` : ''}${l.text}\n`).join('');
    if (Buffer.byteLength(text) > budget) text = Buffer.from(text).subarray(0, budget).toString('utf8');
    budget -= Buffer.byteLength(text);
    return text;
  };
  const first = render(lines);
  const follow = flag(query, 'follow') && !previous;
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    ...(follow ? {} : { 'Content-Length': String(Buffer.byteLength(first)) }),
  });
  if (!follow) {
    res.end(first);
    return;
  }
  res.write(first);
  let lastAt = lines[lines.length - 1]?.at ?? -Infinity;
  const runStart = (read() ?? [])[0]?.at;
  const check = (): void => {
    let now: LogLine[] | undefined;
    try {
      now = read();
    } catch {
      now = undefined; // the container no longer has a log to show (waiting without a last run)
    }
    // The run ended (the container restarted or stopped) or the pod went: the kubelet ends the stream.
    if (now === undefined || now[0]?.at !== runStart || budget <= 0) return stop();
    const fresh = now.filter((l) => l.at > lastAt);
    if (fresh.length === 0) return;
    lastAt = fresh[fresh.length - 1]?.at ?? lastAt;
    res.write(render(fresh));
  };
  const timer = setInterval(check, FOLLOW_POLL_MS);
  const cap = setTimeout(() => stop(), FOLLOW_MAX_MS);
  const unsubscribe = api.store.subscribe((event) => {
    if (
      event.def.kind === 'Pod' &&
      event.object.metadata.name === name &&
      event.object.metadata.namespace === namespace
    )
      setImmediate(check);
  });
  let stopped = false;
  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    clearTimeout(cap);
    unsubscribe();
    res.end();
  }
  req.on('close', stop);
}
