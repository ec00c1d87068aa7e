// A team's manifests as kept in a folder (its kubernetes repository): every object of every YAML or
// JSON file, with the file it came from. Read by `sim start --load` and by runbooks that re-create
// what a cluster lost. Bounded: a folder with more files than MAX_FILES is refused, not walked.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeManifest } from '../engine/vocabulary/index.js';
import { objectsOf, readYamlDocuments } from './yaml-documents.js';

export const MAX_FILES = 2000;

export interface ManifestInFolder {
  readonly manifest: KubeManifest;
  readonly file: string;
}

/** Thrown with the file and what is wrong in it; callers turn it into their own error. */
export class ManifestFolderError extends Error {}

function manifestFiles(dir: string, found: string[]): string[] {
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) manifestFiles(path, found);
    else if (/\.(ya?ml|json)$/.test(entry)) found.push(path);
    if (found.length > MAX_FILES)
      throw new ManifestFolderError(`${dir} holds more than ${MAX_FILES} manifest files`);
  }
  return found;
}

/**
 * Every object in the folder's files (multi-document, Lists unwrapped), in file order. A document
 * that is not a Kubernetes object (a kustomization, a values file) is refused, or with
 * `skipOthers` passed over, as a team's repository holds such files beside its manifests.
 */
export async function readManifestFolder(
  dir: string,
  options: { skipOthers?: boolean } = {},
): Promise<ManifestInFolder[]> {
  // Async for its callers' sake: the parser it once loaded lazily is now imported at the top.
  await Promise.resolve();
  const out: ManifestInFolder[] = [];
  for (const file of manifestFiles(dir, [])) {
    // Read as kubectl reads it; the line only, as the parser's message may quote a Secret's value.
    const read = readYamlDocuments(readFileSync(file, 'utf8'));
    if (!read.ok)
      throw new ManifestFolderError(
        `${file}: not valid YAML${read.line === undefined ? '' : ` (line ${String(read.line)})`}`,
      );
    const docs = read.docs;
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      for (const item of objectsOf(doc)) {
        const o = item as Partial<KubeManifest>;
        if (
          typeof o.apiVersion !== 'string' ||
          typeof o.kind !== 'string' ||
          typeof o.metadata?.name !== 'string'
        ) {
          if (options.skipOthers === true) continue;
          throw new ManifestFolderError(`${file}: every document needs apiVersion, kind and metadata.name`);
        }
        out.push({ manifest: o as KubeManifest, file });
      }
    }
  }
  return out;
}
