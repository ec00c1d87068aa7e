// `runbook sim start --load <dir>`: a fresh cluster (the healthy scenario's nodes and Linodes, no
// workloads) filled with a team's own manifests, so it can rehearse on the shape of its cluster.
import { readManifestFolder } from '../providers/kubernetes/manifest-folder.js';
import { findByKind } from './kube/registry.js';
import { type Scenario, loadScenario } from './scenario.js';
import { healthy } from './scenarios/healthy.js';
import { LKE_SYSTEM_WORKLOADS } from './scenarios/lke-system.js';
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

/** Every object in the directory's YAML/JSON files (multi-document, Lists unwrapped), in apply order. */
export async function readManifests(dir: string): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  for (const { manifest, file } of await readManifestFolder(dir)) {
    if (findByKind(manifest.apiVersion, manifest.kind) === undefined)
      throw new Error(
        `${file}: the simulator serves no ${manifest.apiVersion} ${manifest.kind} (${manifest.metadata.name})`,
      );
    objects.push(manifest);
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
    manifests: [
      ...LKE_SYSTEM_WORKLOADS,
      ...manifests.filter((o) => !(o.kind === 'Namespace' && existing.has(o.metadata.name))),
    ],
  };
  return { name: 'loaded', clusterId: scenario.clusterId, load: (world) => loadScenario(world, scenario) };
}
