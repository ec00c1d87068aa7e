// What the team's manifests (--manifests <dir>, e.g. its kubernetes repository) can give back when the
// cluster lost it: a workload of a wave (2020-12-11: Postgres had been removed before the restart) or
// the Secret or ConfigMap a pod cannot start without (the bot's Sentry DSN). Only names ever leave
// this file: a Secret's values go to the API server and nowhere else. Read as `sim start --load` reads
// a repository (nested folders; Helm values, rules, encrypted files passed over; a broken file noted,
// not fatal: the night's fix rarely lives in it, and the refusal that needs it names it).
import { join } from 'node:path';
import type { KubeManifest } from '../../src/engine/vocabulary/index.js';
import { invalidParameter } from '../../src/engine/errors.js';
import { scanRepository } from '../../src/manifests/repository-scan.js';

export interface FoundManifest {
  readonly manifest: KubeManifest;
  readonly file: string;
}

export interface TeamManifests {
  find(kind: string, namespace: string, name: string): FoundManifest | undefined;
  /** Its Deployments, StatefulSets and DaemonSets, in file order. */
  workloads(): readonly FoundManifest[];
  /** The files that should have held Kubernetes objects and could not be read, with why (never their text). */
  unreadable(): readonly string[];
}

export interface MissingConfig {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
}

const NONE: TeamManifests = { find: () => undefined, workloads: () => [], unreadable: () => [] };
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

const key = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

/** The kubelet's CreateContainerConfigError messages for a missing object. */
const MISSING = /^(secret|configmap) "([^"]+)" not found$/;

/** The Secret or ConfigMap a container's configuration error says is missing. */
export function missingConfig(message: string | undefined): MissingConfig | undefined {
  const m = MISSING.exec(message ?? '');
  if (m === null) return undefined;
  return { kind: m[1] === 'secret' ? 'Secret' : 'ConfigMap', name: m[2] ?? '' };
}

const cache = new Map<string, Promise<TeamManifests>>();

function read(dir: string): TeamManifests {
  let scan;
  try {
    scan = scanRepository(dir);
  } catch (error) {
    throw invalidParameter(
      `--manifests ${dir} is not a readable directory (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
  const index = new Map<string, FoundManifest>();
  const workloads: FoundManifest[] = [];
  for (const { manifest, file } of scan.objects) {
    const found = { manifest, file: join(dir, file) };
    const namespace = manifest.metadata.namespace ?? 'default';
    index.set(key(manifest.kind, namespace, manifest.metadata.name), found);
    if (manifest.apiVersion === 'apps/v1' && WORKLOAD_KINDS.has(manifest.kind)) workloads.push(found);
  }
  const unreadable = [
    ...scan.notes.filter((n) => n.outcome === 'failed').map((n) => `${join(dir, n.file)}: ${n.why}`),
    ...scan.stopped.map((why) => `stopped reading: ${why}`),
  ];
  return {
    find: (kind, namespace, name) => index.get(key(kind, namespace, name)),
    workloads: () => workloads,
    unreadable: () => unreadable,
  };
}

/** The folder read once per process (every wave asks); no folder given, nothing found. */
export function teamManifests(dir: string | undefined): Promise<TeamManifests> {
  if (dir === undefined) return Promise.resolve(NONE);
  let entry = cache.get(dir);
  if (entry === undefined) {
    try {
      entry = Promise.resolve(read(dir));
    } catch (error) {
      entry = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    cache.set(dir, entry);
  }
  return entry;
}
