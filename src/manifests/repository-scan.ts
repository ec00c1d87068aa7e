// A team's Kubernetes repository as it is (nested app folders, Helm values, rule files, READMEs,
// git-crypt encrypted Secrets): every file classified, none stopping the others, so a rehearsal
// load says in one pass what it applies, what it skips and why, and what it cannot read.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { KubeManifest } from '../engine/vocabulary/index.js';
import { objectsOf, readYamlDocuments } from './yaml-documents.js';

export const SCAN_LIMITS = {
  files: 2000,
  depth: 12,
  fileBytes: 4 * 1024 * 1024,
  totalBytes: 64 * 1024 * 1024,
};
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);
const GITCRYPT = Buffer.from('\0GITCRYPT\0', 'latin1');

/** Whether the bytes are a file git-crypt encrypted (the repository is locked). */
export const isGitCrypted = (bytes: Buffer): boolean => bytes.subarray(0, GITCRYPT.length).equals(GITCRYPT);

export interface ScannedObject {
  readonly manifest: KubeManifest;
  /** Relative to the scanned folder. */
  readonly file: string;
}
/** A file (or a document of one) not applied: `skipped` is not Kubernetes; `failed` should have been. */
export interface ScanNote {
  readonly file: string;
  readonly outcome: 'skipped' | 'failed';
  readonly why: string;
}
export interface RepositoryScan {
  readonly objects: ScannedObject[];
  readonly notes: ScanNote[];
  /** Each bound that stopped the walk short, with what was not read. */
  readonly stopped: string[];
}

function walk(root: string, dir: string, depth: number, found: string[], stopped: string[]): void {
  if (depth > SCAN_LIMITS.depth) {
    stopped.push(`${relative(root, dir)} is nested deeper than ${SCAN_LIMITS.depth} folders: not read`);
    return;
  }
  for (const entry of readdirSync(dir).sort()) {
    if (SKIPPED_FOLDERS.has(entry) || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      continue; // a dangling link: nothing to read
    }
    if (isDir) walk(root, path, depth + 1, found, stopped);
    else if (found.length >= SCAN_LIMITS.files) {
      const full = `more than ${SCAN_LIMITS.files} files: the rest were not read`;
      if (!stopped.includes(full)) stopped.push(full);
      return;
    } else found.push(path);
  }
}

/** What a file that is not a Kubernetes manifest is, by its name, or undefined when its name does not say. */
function knownByName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'chart.yaml' || lower === 'chart.yml') return "a Helm chart's Chart.yaml";
  if (/^values([.-].*)?\.ya?ml$/.test(lower)) return 'Helm values';
  if (/^kustomization\.ya?ml$/.test(lower)) return 'a kustomization (kubectl apply -k)';
  if (lower.endsWith('.md') || lower.startsWith('readme')) return 'documentation';
  if (lower === 'makefile' || lower.endsWith('.mk')) return 'a Makefile';
  if (/\.(sh|bash|py|rb|js|ts)$/.test(lower)) return 'a script';
  if (!/\.(ya?ml|json)$/.test(lower)) return 'not YAML or JSON';
  return undefined;
}

/** What a YAML document without apiVersion/kind is. */
function notKubernetes(doc: unknown): string {
  const o = doc as Record<string, unknown>;
  if (Array.isArray(o.groups)) return 'Prometheus rules';
  if (typeof o.kind === 'string' && /^kustomize\./.test(String(o.apiVersion))) return 'a kustomization';
  return 'YAML that is not a Kubernetes object (no apiVersion and kind)';
}

function classify(path: string, file: string, out: RepositoryScan): void {
  const named = knownByName(basename(path));
  if (named !== undefined && !/\.(ya?ml|json)$/i.test(path)) {
    out.notes.push({ file, outcome: 'skipped', why: named });
    return;
  }
  const bytes = readFileSync(path);
  if (isGitCrypted(bytes)) {
    out.notes.push({
      file,
      outcome: 'skipped',
      why: 'encrypted with git-crypt: unlock the repository (git-crypt unlock) to include it',
    });
    return;
  }
  if (named !== undefined) {
    out.notes.push({ file, outcome: 'skipped', why: named });
    return;
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const read = readYamlDocuments(text);
  if (!read.ok) {
    // A ConfigMap may carry `{{ }}` (alert templates) and parse: only a file that does not is a chart's template.
    out.notes.push(
      text.includes('{{')
        ? { file, outcome: 'skipped', why: 'a template ({{ }}): helm renders it, kubectl cannot apply it' }
        : {
            file,
            outcome: 'failed',
            why: `not valid YAML${read.line === undefined ? '' : ` (line ${String(read.line)})`}`,
          },
    );
    return;
  }
  const others = new Set<string>();
  let any = false;
  for (const doc of read.docs) {
    if (doc === null || doc === undefined || typeof doc !== 'object') continue;
    any = true;
    for (const item of objectsOf(doc)) {
      const o = item as Partial<KubeManifest>;
      if (
        typeof o.apiVersion !== 'string' ||
        typeof o.kind !== 'string' ||
        /^kustomize\./.test(o.apiVersion)
      ) {
        others.add(notKubernetes(item));
        continue;
      }
      if (typeof o.metadata?.name !== 'string' || o.metadata.name === '') {
        out.notes.push({ file, outcome: 'failed', why: `a ${o.apiVersion} ${o.kind} without metadata.name` });
        continue;
      }
      out.objects.push({ manifest: o as KubeManifest, file });
    }
  }
  if (!any) out.notes.push({ file, outcome: 'skipped', why: 'empty' });
  for (const what of others) out.notes.push({ file, outcome: 'skipped', why: what });
}

/** Every file under `root`, bounded by SCAN_LIMITS; objects in file order. Throws only when `root` cannot be read. */
export function scanRepository(root: string): RepositoryScan {
  const out: RepositoryScan = { objects: [], notes: [], stopped: [] };
  const files: string[] = [];
  walk(root, root, 0, files, out.stopped);
  let total = 0;
  for (const path of files) {
    const file = relative(root, path);
    const size = statSync(path).size;
    if (size > SCAN_LIMITS.fileBytes) {
      out.notes.push({
        file,
        outcome: 'skipped',
        why: `larger than ${SCAN_LIMITS.fileBytes / 1024 / 1024} MiB`,
      });
      continue;
    }
    total += size;
    if (total > SCAN_LIMITS.totalBytes) {
      out.stopped.push(
        `more than ${SCAN_LIMITS.totalBytes / 1024 / 1024} MiB in all: ${file} and what follows were not read`,
      );
      break;
    }
    classify(path, file, out);
  }
  return out;
}
