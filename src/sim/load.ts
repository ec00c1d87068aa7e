// `runbook sim start --load <dir>`: a fresh cluster (the healthy scenario's nodes and Linodes, no
// workloads) filled with a team's own manifests, so it can rehearse on the shape of its cluster.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findByKind } from './kube/registry.js';
import { type Scenario, loadScenario } from './scenario.js';
import { healthy } from './scenarios/healthy.js';
import type { WorldLoader } from './server.js';
import type { KubeObject } from './world.js';

/** Namespaces and what others refer to before what refers to them, as `kubectl apply -f dir` would need. */
const ORDER = [
  'Namespace',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'ConfigMap',
  'Secret',
  'Service',
  'PodDisruptionBudget',
];
const rank = (o: KubeObject): number => {
  const i = ORDER.indexOf(o.kind);
  return i === -1 ? ORDER.length : i;
};

function manifestFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return manifestFiles(path);
      return /\.(ya?ml|json)$/.test(entry) ? [path] : [];
    });
}

/** Every object in the directory's YAML/JSON files (multi-document, Lists unwrapped), in apply order. */
export async function readManifests(dir: string): Promise<KubeObject[]> {
  const { loadAllYaml } = await import('@kubernetes/client-node');
  const objects: KubeObject[] = [];
  for (const file of manifestFiles(dir)) {
    let docs: unknown[];
    try {
      docs = loadAllYaml(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${file}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      const items =
        (doc as { kind?: string }).kind === 'List' ? ((doc as { items?: unknown[] }).items ?? []) : [doc];
      for (const item of items) {
        const o = item as Partial<KubeObject>;
        if (
          typeof o.apiVersion !== 'string' ||
          typeof o.kind !== 'string' ||
          typeof o.metadata?.name !== 'string'
        )
          throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
        if (findByKind(o.apiVersion, o.kind) === undefined)
          throw new Error(`${file}: the simulator serves no ${o.apiVersion} ${o.kind} (${o.metadata.name})`);
        objects.push(o as KubeObject);
      }
    }
  }
  return objects.sort((a, b) => rank(a) - rank(b));
}

export async function manifestsLoader(dir: string): Promise<WorldLoader> {
  const manifests = await readManifests(dir);
  const existing = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  const scenario: Scenario = {
    ...healthy,
    name: `load:${dir}`,
    summary: `The manifests of ${dir} on three Ready nodes.`,
    manifests: manifests.filter((o) => !(o.kind === 'Namespace' && existing.has(o.metadata.name))),
  };
  return { name: 'loaded', clusterId: scenario.clusterId, load: (world) => loadScenario(world, scenario) };
}
