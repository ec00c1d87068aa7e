// Server-side table rows of the kinds outside core/v1 (apps, policy, storage, coordination), after
// k8s.io/kubernetes pkg/printers/internalversion, so `kubectl get` shows the real columns.
import type { KubeObject } from '../world.js';
import { selectorString } from './selectors.js';
import type { TableSpec } from './table-format.js';
import { age, col, containerCells, nameCol, num } from './table-format.js';

interface WorkloadSpec {
  replicas?: number;
  selector?: unknown;
  template?: unknown;
}

const spec = (o: KubeObject): WorkloadSpec => o.spec ?? {};
const status = (o: KubeObject): Record<string, unknown> => (o.status ?? {}) as Record<string, unknown>;
const selectorCell = (selector: unknown): string => selectorString(selector) || '<none>';
const wideColumns = (): ReturnType<typeof col>[] => [
  col('Containers', 'string', 1),
  col('Images', 'string', 1),
  col('Selector', 'string', 1),
];
const intOrPercent = (value: unknown): string =>
  typeof value === 'number' || typeof value === 'string' ? String(value) : 'N/A';

export const GROUP_TABLES: Record<string, TableSpec> = {
  'apps/deployments': {
    columns: [
      nameCol(),
      col('Ready'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Age'),
      ...wideColumns(),
    ],
    row: (d, nowMs) => [
      d.metadata.name,
      `${num(status(d).readyReplicas)}/${spec(d).replicas ?? 0}`,
      num(status(d).updatedReplicas),
      num(status(d).availableReplicas),
      age(d.metadata.creationTimestamp, nowMs),
      ...containerCells(spec(d).template),
      selectorCell(spec(d).selector),
    ],
  },
  'apps/replicasets': {
    columns: [
      nameCol(),
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Age'),
      ...wideColumns(),
    ],
    row: (rs, nowMs) => [
      rs.metadata.name,
      spec(rs).replicas ?? 0,
      num(status(rs).replicas),
      num(status(rs).readyReplicas),
      age(rs.metadata.creationTimestamp, nowMs),
      ...containerCells(spec(rs).template),
      selectorCell(spec(rs).selector),
    ],
  },
  'apps/statefulsets': {
    columns: [
      nameCol(),
      col('Ready'),
      col('Age'),
      col('Containers', 'string', 1),
      col('Images', 'string', 1),
    ],
    row: (sts, nowMs) => [
      sts.metadata.name,
      `${num(status(sts).readyReplicas)}/${spec(sts).replicas ?? 0}`,
      age(sts.metadata.creationTimestamp, nowMs),
      ...containerCells(spec(sts).template),
    ],
  },
  'apps/daemonsets': {
    columns: [
      nameCol(),
      col('Desired', 'integer'),
      col('Current', 'integer'),
      col('Ready', 'integer'),
      col('Up-to-date', 'integer'),
      col('Available', 'integer'),
      col('Node Selector'),
      col('Age'),
      ...wideColumns(),
    ],
    row: (ds, nowMs) => {
      const s = status(ds);
      const template = spec(ds).template as { spec?: { nodeSelector?: Record<string, string> } } | undefined;
      const nodeSelector = Object.entries(template?.spec?.nodeSelector ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return [
        ds.metadata.name,
        num(s.desiredNumberScheduled),
        num(s.currentNumberScheduled),
        num(s.numberReady),
        num(s.updatedNumberScheduled),
        num(s.numberAvailable),
        nodeSelector === '' ? '<none>' : nodeSelector,
        age(ds.metadata.creationTimestamp, nowMs),
        ...containerCells(spec(ds).template),
        selectorCell(spec(ds).selector),
      ];
    },
  },
  'policy/poddisruptionbudgets': {
    columns: [
      nameCol(),
      col('Min Available'),
      col('Max Unavailable'),
      col('Allowed Disruptions', 'integer'),
      col('Age'),
    ],
    row: (pdb, nowMs) => {
      const s = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown };
      return [
        pdb.metadata.name,
        intOrPercent(s.minAvailable),
        intOrPercent(s.maxUnavailable),
        num(status(pdb).disruptionsAllowed),
        age(pdb.metadata.creationTimestamp, nowMs),
      ];
    },
  },
  'storage.k8s.io/storageclasses': {
    columns: [
      nameCol(),
      col('Provisioner'),
      col('ReclaimPolicy'),
      col('VolumeBindingMode'),
      col('AllowVolumeExpansion'),
      col('Age'),
    ],
    row: (sc, nowMs) => {
      const isDefault =
        sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ||
        sc.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
      return [
        isDefault ? `${sc.metadata.name} (default)` : sc.metadata.name,
        sc.provisioner ?? '',
        sc.reclaimPolicy ?? 'Delete',
        sc.volumeBindingMode ?? 'Immediate',
        sc.allowVolumeExpansion === true,
        age(sc.metadata.creationTimestamp, nowMs),
      ];
    },
  },
  'storage.k8s.io/volumeattachments': {
    columns: [nameCol(), col('Attacher'), col('PV'), col('Node'), col('Attached', 'boolean'), col('Age')],
    row: (va, nowMs) => {
      const s = (va.spec ?? {}) as {
        attacher?: string;
        nodeName?: string;
        source?: { persistentVolumeName?: string };
      };
      return [
        va.metadata.name,
        s.attacher ?? '',
        s.source?.persistentVolumeName ?? '',
        s.nodeName ?? '',
        status(va).attached === true,
        age(va.metadata.creationTimestamp, nowMs),
      ];
    },
  },
  'coordination.k8s.io/leases': {
    columns: [nameCol(), col('Holder'), col('Age')],
    row: (lease, nowMs) => [
      lease.metadata.name,
      (lease.spec as { holderIdentity?: string } | undefined)?.holderIdentity ?? '',
      age(lease.metadata.creationTimestamp, nowMs),
    ],
  },
};
