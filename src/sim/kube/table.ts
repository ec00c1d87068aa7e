// metav1.Table responses for `kubectl get` of pods, nodes and deployments, so its output shows
// the real columns (STATUS, READY, AGE...) instead of NAME and AGE only.
import type { KubeObject } from '../world.js';
import type { ResourceDef } from './registry.js';

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
}

const col = (name: string, type = 'string', priority = 0, format?: string): Column => {
  const c: Column = { name, type, description: name, priority };
  if (format !== undefined) c.format = format;
  return c;
};

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** kubectl's humanised duration ("5s", "3m2s", "2d"). */
export function age(fromIso: string | undefined, nowMs: number): string {
  if (fromIso === undefined) return '<unknown>';
  const seconds = Math.max(0, Math.floor((nowMs - Date.parse(fromIso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 === 0 ? '' : `${seconds % 60}s`}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

type Status = Record<string, unknown>;
interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

function podRow(pod: KubeObject, nowMs: number): unknown[] {
  const spec = (pod.spec ?? {}) as { containers?: unknown[]; nodeName?: string };
  const status = (pod.status ?? {}) as Status & {
    containerStatuses?: ContainerStatus[];
    phase?: string;
    podIP?: string;
  };
  const statuses = status.containerStatuses ?? [];
  const total = spec.containers?.length ?? 0;
  const ready = statuses.filter((c) => c.ready === true).length;
  let reason = status.phase ?? 'Pending';
  for (const c of statuses) {
    const r = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
    if (r !== undefined) reason = r;
  }
  if (pod.metadata.deletionTimestamp !== undefined) reason = 'Terminating';
  const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return [
    pod.metadata.name,
    `${ready}/${total}`,
    reason,
    restarts,
    age(pod.metadata.creationTimestamp, nowMs),
    status.podIP ?? '<none>',
    spec.nodeName ?? '<none>',
    '<none>',
    '<none>',
  ];
}

function nodeRow(node: KubeObject, nowMs: number): unknown[] {
  const status = (node.status ?? {}) as {
    conditions?: Array<{ type: string; status: string }>;
    nodeInfo?: {
      kubeletVersion?: string;
      osImage?: string;
      kernelVersion?: string;
      containerRuntimeVersion?: string;
    };
    addresses?: Array<{ type: string; address: string }>;
  };
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  let state = ready?.status === 'True' ? 'Ready' : ready === undefined ? 'Unknown' : 'NotReady';
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true)
    state += ',SchedulingDisabled';
  const addr = (type: string): string => status.addresses?.find((a) => a.type === type)?.address ?? '<none>';
  return [
    node.metadata.name,
    state,
    '<none>',
    age(node.metadata.creationTimestamp, nowMs),
    status.nodeInfo?.kubeletVersion ?? '',
    addr('InternalIP'),
    addr('ExternalIP'),
    status.nodeInfo?.osImage ?? '<unknown>',
    status.nodeInfo?.kernelVersion ?? '<unknown>',
    status.nodeInfo?.containerRuntimeVersion ?? '<unknown>',
  ];
}

function deploymentRow(d: KubeObject, nowMs: number): unknown[] {
  const spec = (d.spec ?? {}) as { replicas?: number };
  const status = (d.status ?? {}) as {
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
  return [
    d.metadata.name,
    `${status.readyReplicas ?? 0}/${spec.replicas ?? 0}`,
    status.updatedReplicas ?? 0,
    status.availableReplicas ?? 0,
    age(d.metadata.creationTimestamp, nowMs),
  ];
}

const TABLES: Record<string, { columns: Column[]; row: (o: KubeObject, nowMs: number) => unknown[] }> = {
  '/pods': {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Ready'),
      col('Status'),
      col('Restarts', 'string'),
      col('Age'),
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    row: podRow,
  },
  '/nodes': {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Status'),
      col('Roles'),
      col('Age'),
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('External-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    row: nodeRow,
  },
  'apps/deployments': {
    columns: [
      col('Name', 'string', 0, 'name'),
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Age'),
    ],
    row: deploymentRow,
  },
};

/** A Table for the kinds that have one; undefined means "answer the plain list". */
export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  nowMs: number,
): unknown {
  const spec = TABLES[`${def.group}/${def.plural}`];
  if (spec === undefined) return undefined;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: spec.columns,
    rows: objects.map((o) => ({
      cells: spec.row(o, nowMs),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
