// metav1.Table responses for `kubectl get`, so its output shows the real columns (STATUS, READY,
// AGE, and with -o wide IP, NODE...) instead of NAME and AGE only.
import type { KubeObject } from '../world.js';
import type { ResourceDef } from './registry.js';
import { CORE_TABLES } from './table-core.js';
import type { TableSpec } from './table-format.js';
import { age, col, nameCol } from './table-format.js';
import { GROUP_TABLES } from './table-groups.js';
import { REPO_KIND_TABLES } from './table-repo-kinds.js';

const TABLES: Record<string, TableSpec> = { ...CORE_TABLES, ...GROUP_TABLES, ...REPO_KIND_TABLES };

/** A CRD without additionalPrinterColumns: NAME and AGE, the age on the simulated clock. */
const CUSTOM_RESOURCE_TABLE: TableSpec = {
  columns: [nameCol(), col('Age', 'date')],
  row: (o, nowMs) => [o.metadata.name, age(o.metadata.creationTimestamp, nowMs)],
};

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** A Table for the kinds that have one; undefined means "answer the plain list". */
export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  nowMs: number,
): unknown {
  const spec =
    TABLES[`${def.group}/${def.plural}`] ?? (def.crd !== undefined ? CUSTOM_RESOURCE_TABLE : undefined);
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
