// Server-side table rows of core/v1 kinds, after k8s.io/kubernetes pkg/printers/internalversion
// (printPod, printNode, printEvent, printService, ...), so `kubectl get` shows the real columns.
import type { KubeObject } from '../world.js';
import type { TableSpec } from './table-format.js';
import { age, col, formatLabels, nameCol, num, str } from './table-format.js';

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: {
    waiting?: { reason?: string };
    running?: unknown;
    terminated?: { reason?: string; exitCode?: number; signal?: number };
  };
  lastState?: { terminated?: { finishedAt?: string } };
}

function podRow(pod: KubeObject, nowMs: number): unknown[] {
  const spec = (pod.spec ?? {}) as {
    containers?: unknown[];
    nodeName?: string;
    readinessGates?: Array<{ conditionType: string }>;
  };
  const status = (pod.status ?? {}) as {
    containerStatuses?: ContainerStatus[];
    conditions?: Array<{ type: string; status: string }>;
    phase?: string;
    reason?: string;
    podIP?: string;
    nominatedNodeName?: string;
  };
  const statuses = status.containerStatuses ?? [];
  let reason = status.reason ?? status.phase ?? '';
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let running = false;
  for (const c of [...statuses].reverse()) {
    restarts += c.restartCount ?? 0;
    const finished = Date.parse(c.lastState?.terminated?.finishedAt ?? '');
    if (Number.isFinite(finished) && finished > lastRestart) lastRestart = finished;
    const terminated = c.state?.terminated;
    if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
    else if (terminated?.reason) reason = terminated.reason;
    else if (terminated !== undefined)
      reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
    else if (c.ready === true && c.state?.running !== undefined) {
      running = true;
      ready += 1;
    }
  }
  if (reason === 'Completed' && running)
    reason = status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
      ? 'Running'
      : 'NotReady';
  if (pod.metadata.deletionTimestamp !== undefined && status.reason === 'NodeLost') reason = 'Unknown';
  else if (
    pod.metadata.deletionTimestamp !== undefined &&
    status.phase !== 'Succeeded' &&
    status.phase !== 'Failed'
  )
    reason = 'Terminating';
  const gates = spec.readinessGates ?? [];
  const gatesCell =
    gates.length === 0
      ? '<none>'
      : `${gates.filter((g) => status.conditions?.some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`;
  return [
    pod.metadata.name,
    `${ready}/${spec.containers?.length ?? 0}`,
    reason,
    lastRestart === 0
      ? String(restarts)
      : `${restarts} (${age(new Date(lastRestart).toISOString(), nowMs)} ago)`,
    age(pod.metadata.creationTimestamp, nowMs),
    str(status.podIP),
    str(spec.nodeName),
    str(status.nominatedNodeName),
    gatesCell,
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
  let state = ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true)
    state += ',SchedulingDisabled';
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/') && key.length > 'node-role.kubernetes.io/'.length)
      roles.add(key.slice('node-role.kubernetes.io/'.length));
    if (key === 'kubernetes.io/role' && value !== '') roles.add(value);
  }
  const addr = (type: string): string => status.addresses?.find((a) => a.type === type)?.address ?? '<none>';
  return [
    node.metadata.name,
    state,
    roles.size === 0 ? '<none>' : [...roles].sort().join(','),
    age(node.metadata.creationTimestamp, nowMs),
    status.nodeInfo?.kubeletVersion ?? '',
    addr('InternalIP'),
    addr('ExternalIP'),
    str(status.nodeInfo?.osImage, '<unknown>'),
    str(status.nodeInfo?.kernelVersion, '<unknown>'),
    str(status.nodeInfo?.containerRuntimeVersion, '<unknown>'),
  ];
}

function eventRow(event: KubeObject, nowMs: number): unknown[] {
  const involved = (event.involvedObject ?? {}) as { kind?: string; name?: string; fieldPath?: string };
  const source = (event.source ?? {}) as { component?: string; host?: string };
  const series = event.series as { count?: number; lastObservedTime?: string } | undefined;
  const first = age(event.firstTimestamp ?? event.eventTime, nowMs);
  let last =
    event.lastTimestamp === undefined || event.lastTimestamp === null
      ? first
      : age(event.lastTimestamp, nowMs);
  let count = num(event.count) || 1;
  if (series !== undefined) {
    last = age(series.lastObservedTime, nowMs);
    count = series.count ?? count;
  }
  const kind = (involved.kind ?? '').toLowerCase();
  const component = source.component || str(event.reportingComponent, '');
  const instance = source.host || str(event.reportingInstance, '');
  return [
    last,
    event.type ?? '',
    event.reason ?? '',
    involved.name ? `${kind}/${involved.name}` : kind,
    involved.fieldPath ?? '',
    instance === '' ? component : `${component}, ${instance}`,
    str(event.message, '').trim(),
    first,
    count,
    event.metadata.name,
  ];
}

function serviceRow(service: KubeObject, nowMs: number): unknown[] {
  const spec = (service.spec ?? {}) as {
    type?: string;
    clusterIP?: string;
    externalIPs?: string[];
    externalName?: string;
    ports?: Array<{ port: number; nodePort?: number; protocol?: string }>;
    selector?: Record<string, string>;
  };
  const ingress =
    (service.status as { loadBalancer?: { ingress?: Array<{ ip?: string; hostname?: string }> } } | undefined)
      ?.loadBalancer?.ingress ?? [];
  const type = spec.type ?? 'ClusterIP';
  let external = spec.externalIPs?.join(',') || '<none>';
  if (type === 'ExternalName') external = spec.externalName ?? '<none>';
  if (type === 'LoadBalancer') {
    const ips = [...ingress.map((i) => i.ip ?? i.hostname ?? ''), ...(spec.externalIPs ?? [])].filter(
      (i) => i !== '',
    );
    external = ips.length === 0 ? '<pending>' : ips.join(',');
  }
  const ports = (spec.ports ?? [])
    .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(',');
  return [
    service.metadata.name,
    type,
    str(spec.clusterIP),
    external,
    ports === '' ? '<none>' : ports,
    age(service.metadata.creationTimestamp, nowMs),
    formatLabels(spec.selector),
  ];
}

const MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};
const accessModes = (modes: unknown): string =>
  Array.isArray(modes) ? modes.map((m) => MODES[String(m)] ?? String(m)).join(',') : '';

function pvcRow(pvc: KubeObject, nowMs: number): unknown[] {
  const spec = (pvc.spec ?? {}) as { volumeName?: string; storageClassName?: string; volumeMode?: string };
  const status = (pvc.status ?? {}) as {
    phase?: string;
    capacity?: { storage?: string };
    accessModes?: string[];
  };
  const bound = spec.volumeName !== undefined && spec.volumeName !== '';
  return [
    pvc.metadata.name,
    pvc.metadata.deletionTimestamp === undefined ? (status.phase ?? 'Pending') : 'Terminating',
    spec.volumeName ?? '',
    bound ? (status.capacity?.storage ?? '') : '',
    bound ? accessModes(status.accessModes) : '',
    spec.storageClassName ?? '',
    '<unset>',
    age(pvc.metadata.creationTimestamp, nowMs),
    spec.volumeMode ?? '<unset>',
  ];
}

function pvRow(pv: KubeObject, nowMs: number): unknown[] {
  const spec = (pv.spec ?? {}) as {
    capacity?: { storage?: string };
    accessModes?: string[];
    persistentVolumeReclaimPolicy?: string;
    claimRef?: { namespace?: string; name?: string };
    storageClassName?: string;
    volumeMode?: string;
  };
  const status = (pv.status ?? {}) as { phase?: string; reason?: string };
  const claim =
    spec.claimRef === undefined ? '' : `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}`;
  return [
    pv.metadata.name,
    spec.capacity?.storage ?? '',
    accessModes(spec.accessModes),
    spec.persistentVolumeReclaimPolicy ?? '',
    pv.metadata.deletionTimestamp === undefined ? (status.phase ?? '') : 'Terminating',
    claim,
    spec.storageClassName ?? '',
    '<unset>',
    status.reason ?? '',
    age(pv.metadata.creationTimestamp, nowMs),
    spec.volumeMode ?? '<unset>',
  ];
}

const dataCount = (o: KubeObject): number =>
  Object.keys((o.data as object | undefined) ?? {}).length +
  Object.keys((o.binaryData as object | undefined) ?? {}).length;

export const CORE_TABLES: Record<string, TableSpec> = {
  '/pods': {
    columns: [
      nameCol(),
      col('Ready'),
      col('Status'),
      col('Restarts'),
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
      nameCol(),
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
  '/events': {
    columns: [
      col('Last Seen'),
      col('Type'),
      col('Reason'),
      col('Object'),
      col('Subobject', 'string', 1),
      col('Source', 'string', 1),
      col('Message'),
      col('First Seen', 'string', 1),
      col('Count', 'string', 1),
      col('Name', 'string', 1, 'name'),
    ],
    row: eventRow,
  },
  '/services': {
    columns: [
      nameCol(),
      col('Type'),
      col('Cluster-IP'),
      col('External-IP'),
      col('Port(s)'),
      col('Age'),
      col('Selector', 'string', 1),
    ],
    row: serviceRow,
  },
  '/namespaces': {
    columns: [nameCol(), col('Status'), col('Age')],
    row: (ns, nowMs) => [
      ns.metadata.name,
      (ns.status as { phase?: string } | undefined)?.phase ?? 'Active',
      age(ns.metadata.creationTimestamp, nowMs),
    ],
  },
  '/configmaps': {
    columns: [nameCol(), col('Data', 'integer'), col('Age')],
    row: (cm, nowMs) => [cm.metadata.name, dataCount(cm), age(cm.metadata.creationTimestamp, nowMs)],
  },
  '/secrets': {
    columns: [nameCol(), col('Type'), col('Data', 'integer'), col('Age')],
    row: (s, nowMs) => [
      s.metadata.name,
      str(s.type, ''),
      dataCount(s),
      age(s.metadata.creationTimestamp, nowMs),
    ],
  },
  '/persistentvolumeclaims': {
    columns: [
      nameCol(),
      col('Status'),
      col('Volume'),
      col('Capacity'),
      col('Access Modes'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Age'),
      col('VolumeMode', 'string', 1),
    ],
    row: pvcRow,
  },
  '/persistentvolumes': {
    columns: [
      nameCol(),
      col('Capacity'),
      col('Access Modes'),
      col('Reclaim Policy'),
      col('Status'),
      col('Claim'),
      col('StorageClass'),
      col('VolumeAttributesClass'),
      col('Reason'),
      col('Age'),
      col('VolumeMode', 'string', 1),
    ],
    row: pvRow,
  },
};
