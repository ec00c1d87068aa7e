// `runbook sim start --load <dir>`: a fresh cluster (the healthy scenario's nodes and Linodes, no
// workloads) filled with a team's own repository as it is, so it can rehearse on the shape of its
// cluster. Nothing stops the load: each file or object it cannot apply is one line of its report.
import { type ScanNote, scanRepository } from '../manifests/repository-scan.js';
import { findByKind } from './kube/registry.js';
import { type Scenario, loadScenario, settle } from './scenario.js';
import { healthy } from './scenarios/healthy.js';
import { LKE_SYSTEM_WORKLOADS } from './scenarios/lke-system.js';
import type { WorldLoader } from './server.js';
import type { KubeObject } from './world.js';

/** Namespaces and what others refer to before what refers to them, as `kubectl apply -f dir` would need. */
const ORDER = [
  'CustomResourceDefinition',
  'Namespace',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'ConfigMap',
  'Secret',
  'Service',
  'PodDisruptionBudget',
];
const rank = (o: KubeObject): number => {
  const i = ORDER.indexOf(o.kind);
  return i === -1 ? ORDER.length : i;
};
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** What the load did, filled in as the world is built; `lines()` is what `sim start` prints. */
export interface LoadReport {
  applied: number;
  readonly notes: ScanNote[];
  /** Namespaces no file creates, created so the objects in them apply (a real cluster would refuse them). */
  readonly createdNamespaces: Array<{ name: string; objects: number }>;
  /** Each bound that stopped the reading short. */
  readonly stopped: readonly string[];
}

export function reportLines(report: LoadReport): string[] {
  const lines = report.notes.map(
    (n) => `${n.outcome === 'skipped' ? 'skipped' : 'failed '} ${n.file}: ${n.why}`,
  );
  for (const ns of report.createdNamespaces)
    lines.push(
      `created namespace ${ns.name}: no file creates it and ${String(ns.objects)} object(s) are in it; on a real cluster add its Namespace file or kubectl create namespace ${ns.name}`,
    );
  for (const why of report.stopped) lines.push(`stopped reading: ${why}`);
  const skipped = report.notes.filter((n) => n.outcome === 'skipped').length;
  const failed = report.notes.length - skipped;
  lines.push(
    `Loaded: ${String(report.applied)} applied, ${String(skipped)} skipped, ${String(failed)} failed.`,
  );
  return lines;
}

function apply(
  world: Parameters<WorldLoader['load']>[0],
  objects: ReadonlyArray<{ manifest: KubeObject; file: string }>,
  report: LoadReport,
): void {
  const sorted = [...objects].sort((a, b) => rank(a.manifest) - rank(b.manifest));
  const created = new Set([
    ...BUILT_IN_NAMESPACES,
    ...sorted.filter((o) => o.manifest.kind === 'Namespace').map((o) => o.manifest.metadata.name),
  ]);
  const wanted = new Map<string, number>();
  for (const { manifest } of sorted) {
    const def = findByKind(manifest.apiVersion, manifest.kind);
    // A custom resource's scope is known only once its CRD is applied: its namespace, if it names one.
    if (def === undefined ? manifest.metadata.namespace === undefined : !def.namespaced) continue;
    const ns = manifest.metadata.namespace ?? 'default';
    if (!created.has(ns)) wanted.set(ns, (wanted.get(ns) ?? 0) + 1);
  }
  for (const [name, count] of [...wanted].sort()) {
    world.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    report.createdNamespaces.push({ name, objects: count });
  }
  for (const { manifest, file } of sorted) {
    const what = `${manifest.kind} ${manifest.metadata.namespace === undefined ? '' : `${manifest.metadata.namespace}/`}${manifest.metadata.name}`;
    // Asked here, in apply order, so a custom resource is served once the CRD before it is applied.
    if (findByKind(manifest.apiVersion, manifest.kind) === undefined) {
      report.notes.push({
        file,
        outcome: 'failed',
        why: `${what}: the simulator serves no ${manifest.apiVersion} ${manifest.kind}`,
      });
      continue;
    }
    if (manifest.kind === 'Namespace' && BUILT_IN_NAMESPACES.includes(manifest.metadata.name)) {
      report.applied += 1; // already there, as `kubectl apply` finds it: unchanged
      continue;
    }
    try {
      world.kube.create(manifest);
      report.applied += 1;
    } catch (error) {
      report.notes.push({
        file,
        outcome: 'failed',
        why: `${what}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
}

/** The world of `dir`, and the report its load fills in (complete once the simulator has started). */
export function manifestsLoader(dir: string): WorldLoader & {
  readonly report: LoadReport;
  /** Every Kubernetes object the repository holds, in file order (whether or not it applies). */
  readonly objects: readonly KubeObject[];
} {
  const scan = scanRepository(dir);
  const report: LoadReport = {
    applied: 0,
    notes: [...scan.notes],
    createdNamespaces: [],
    stopped: scan.stopped,
  };
  const scenario: Scenario = {
    ...healthy,
    name: `load:${dir}`,
    summary: `The manifests of ${dir} on three Ready nodes.`,
    manifests: [...LKE_SYSTEM_WORKLOADS],
  };
  return {
    name: 'loaded',
    clusterId: scenario.clusterId,
    report,
    objects: scan.objects.map((o) => o.manifest),
    async load(world) {
      await loadScenario(world, scenario);
      apply(world, scan.objects, report);
      await settle(world);
    },
  };
}
