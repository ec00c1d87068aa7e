// metrics.k8s.io/v1beta1 as metrics-server serves it (NodeMetrics, PodMetrics), for `kubectl top`,
// from usage the simulated world implies: what containers request (or a modest default), an
// unbounded container swelling while an OOM-kill fault is on, a node under memory pressure near full.
import { createHash } from 'node:crypto';
import type { FaultSet, KubeObject } from '../world.js';
import type { Api } from './api.js';
import { ApiError } from './errors.js';
import { formatTime } from './ids.js';
import { type ResourceDef, mustFindByKind } from './registry.js';
import { matchesLabels, parseLabelSelector } from './selectors.js';
import { parseQuantity } from './quantity.js';

export const METRICS_GROUP = 'metrics.k8s.io';
const API_VERSION = 'metrics.k8s.io/v1beta1';
const MiB = 1024 * 1024;
/** What the kubelet, containerd and the system slice take on a node besides the pods. */
const NODE_OVERHEAD = { cpu: 0.12, memory: 640 * MiB };
/** "site jumps from 400 MB to 1.5 GB": an unbounded container while the OOM killer is at work. */
const SWOLLEN_MEMORY = 1536 * MiB;

interface Container {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}
interface Pod extends KubeObject {
  spec?: { nodeName?: string; containers?: Container[] };
  status?: { phase?: string; containerStatuses?: Array<{ name?: string; state?: { running?: unknown } }> };
}
interface Node extends KubeObject {
  status?: {
    allocatable?: Record<string, string>;
    conditions?: Array<{ type?: string; status?: string }>;
  };
}

/** A stable fraction in [low, high) for a name: the same container uses the same share every time. */
function share(name: string, low: number, high: number): number {
  const byte = createHash('sha256').update(name).digest()[0] ?? 0;
  return low + ((high - low) * byte) / 256;
}

const cpuText = (cores: number): string => `${Math.round(cores * 1e9)}n`;
const memoryText = (bytes: number): string => `${Math.round(bytes / 1024)}Ki`;

function containerUsage(pod: Pod, c: Container, swelling: boolean): { cpu: number; memory: number } {
  const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name}/${c.name}`;
  const requests = c.resources?.requests ?? {};
  const limits = c.resources?.limits ?? {};
  const cpuRequest = parseQuantity(requests.cpu);
  const cpu = cpuRequest > 0 ? cpuRequest * share(`${key}/cpu`, 0.2, 0.7) : share(`${key}/cpu`, 0.004, 0.04);
  const memoryRequest = parseQuantity(requests.memory);
  const memoryLimit = parseQuantity(limits.memory);
  let memory =
    memoryRequest > 0
      ? memoryRequest * share(`${key}/memory`, 0.5, 0.9)
      : memoryLimit > 0
        ? memoryLimit * share(`${key}/memory`, 0.2, 0.5)
        : share(`${key}/memory`, 48, 256) * MiB;
  if (swelling && memoryLimit === 0) memory = SWOLLEN_MEMORY;
  return { cpu, memory };
}

/** The running containers of running pods, with their usage (metrics-server reports no others). */
function podUsages(
  api: Api,
  faults: FaultSet,
): Array<{ pod: Pod; containers: Array<{ name: string; cpu: number; memory: number }> }> {
  const swellingIn = new Set(
    faults
      .list()
      .flatMap((f) => (f.kind === 'pod-crash-loop' && f.reason === 'OOMKilled' ? [f.namespace] : [])),
  );
  const out: Array<{ pod: Pod; containers: Array<{ name: string; cpu: number; memory: number }> }> = [];
  for (const pod of api.store.list(mustFindByKind('v1', 'Pod'), undefined) as Pod[]) {
    if (pod.status?.phase !== 'Running' || pod.spec?.nodeName === undefined) continue;
    const running = new Set(
      (pod.status.containerStatuses ?? []).filter((s) => s.state?.running !== undefined).map((s) => s.name),
    );
    const containers = (pod.spec.containers ?? [])
      .filter((c) => running.has(c.name))
      .map((c) => ({
        name: c.name,
        ...containerUsage(pod, c, swellingIn.has(pod.metadata.namespace ?? '')),
      }));
    if (containers.length > 0) out.push({ pod, containers });
  }
  return out;
}

const condition = (node: Node, type: string): string | undefined =>
  node.status?.conditions?.find((c) => c.type === type)?.status;

export interface MetricsRequest {
  readonly def: ResourceDef;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly labelSelector: string | null;
}

/** The answer to a GET of metrics.k8s.io, as metrics-server gives it. */
export function metricsReply(api: Api, faults: FaultSet, request: MetricsRequest): unknown {
  const now = formatTime(api.clock.now());
  const labels = parseLabelSelector(request.labelSelector);
  const items: Array<
    Record<string, unknown> & { metadata: { name: string; namespace?: string; [field: string]: unknown } }
  > = [];
  const usages = podUsages(api, faults);
  if (request.def.kind === 'NodeMetrics') {
    for (const node of api.store.list(mustFindByKind('v1', 'Node'), undefined) as Node[]) {
      // A node whose kubelet does not answer has no metrics: kubectl top shows it <unknown>.
      if (condition(node, 'Ready') !== 'True') continue;
      const name = node.metadata.name;
      const onNode = usages.filter((u) => u.pod.spec?.nodeName === name).flatMap((u) => u.containers);
      const cpu = NODE_OVERHEAD.cpu + onNode.reduce((sum, c) => sum + c.cpu, 0);
      let memory = NODE_OVERHEAD.memory + onNode.reduce((sum, c) => sum + c.memory, 0);
      const allocatable = parseQuantity(node.status?.allocatable?.memory);
      if (condition(node, 'MemoryPressure') === 'True' && allocatable > 0)
        memory = Math.max(memory, allocatable * 0.97);
      items.push({
        metadata: {
          name,
          creationTimestamp: now,
          ...(node.metadata.labels ? { labels: node.metadata.labels } : {}),
        },
        timestamp: now,
        window: '20.035s',
        usage: { cpu: cpuText(cpu), memory: memoryText(memory) },
      });
    }
  } else {
    for (const { pod, containers } of usages) {
      if (request.namespace !== undefined && pod.metadata.namespace !== request.namespace) continue;
      items.push({
        metadata: {
          name: pod.metadata.name,
          namespace: pod.metadata.namespace ?? 'default',
          creationTimestamp: now,
          ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
        },
        timestamp: now,
        window: '18.624s',
        containers: containers.map((c) => ({
          name: c.name,
          usage: { cpu: cpuText(c.cpu), memory: memoryText(c.memory) },
        })),
      });
    }
  }
  const selected = items.filter((i) =>
    matchesLabels(labels, (i.metadata as { labels?: Record<string, string> }).labels),
  );
  if (request.name !== undefined) {
    const found = selected.find((i) => i.metadata.name === request.name);
    if (found === undefined)
      throw new ApiError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `${request.def.kind === 'NodeMetrics' ? 'nodemetrics' : 'podmetrics'}.metrics.k8s.io "${request.name}" not found`,
        reason: 'NotFound',
        details: { name: request.name, group: METRICS_GROUP, kind: request.def.plural },
        code: 404,
      });
    return { kind: request.def.kind, apiVersion: API_VERSION, ...found };
  }
  selected.sort((a, b) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
    ),
  );
  return { kind: `${request.def.kind}List`, apiVersion: API_VERSION, metadata: {}, items: selected };
}
