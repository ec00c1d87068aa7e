// What the team's manifests (--manifests <dir>, e.g. its kubernetes repository) can give back when the
// cluster lost it: a workload of a wave (2020-12-11: Postgres had been removed before the restart) or
// the Secret or ConfigMap a pod cannot start without (the bot's Sentry DSN). Only names ever leave
// this file: a Secret's values go to the API server and nowhere else.
import type { KubeManifest } from '../../src/engine/vocabulary/index.js';
import { invalidParameter } from '../../src/engine/errors.js';
import { ManifestFolderError, readManifestFolder } from '../../src/manifests/manifest-folder.js';

export interface FoundManifest {
  readonly manifest: KubeManifest;
  readonly file: string;
}

export interface TeamManifests {
  find(kind: string, namespace: string, name: string): FoundManifest | undefined;
}

export interface MissingConfig {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
}

const NONE: TeamManifests = { find: () => undefined };

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

async function read(dir: string): Promise<TeamManifests> {
  let found;
  try {
    found = await readManifestFolder(dir, { skipOthers: true });
  } catch (error) {
    if (error instanceof ManifestFolderError)
      throw invalidParameter(`--manifests: ${error.message}; fix the file or point at another folder.`);
    throw error;
  }
  const index = new Map<string, FoundManifest>();
  for (const { manifest, file } of found) {
    const namespace = manifest.metadata.namespace ?? 'default';
    index.set(key(manifest.kind, namespace, manifest.metadata.name), { manifest, file });
  }
  return { find: (kind, namespace, name) => index.get(key(kind, namespace, name)) };
}

/** The folder read once per process (every wave asks); no folder given, nothing found. */
export function teamManifests(dir: string | undefined): Promise<TeamManifests> {
  if (dir === undefined) return Promise.resolve(NONE);
  let entry = cache.get(dir);
  if (entry === undefined) {
    entry = read(dir);
    cache.set(dir, entry);
  }
  return entry;
}
