// Each simulated container's writable filesystem: small, in memory, bounded, gone with the pod
// (keyed by its uid), so `kubectl cp`, `cat` and `pg_dump -f` have somewhere real to read and write.
import { posix } from 'node:path';

export const SCRATCH_LIMITS = {
  /** Bytes of file content one container may hold. */
  bytes: 16 * 1024 * 1024,
  /** Files and directories one container may hold. */
  entries: 2000,
  /** Containers remembered at once (the oldest is forgotten first). */
  containers: 200,
  /** Bytes of file content all containers together may hold (the simulator's memory). */
  totalBytes: 128 * 1024 * 1024,
};

export type ScratchNode =
  | { readonly type: 'dir'; mtime: number }
  | { readonly type: 'file'; data: Buffer; mtime: number; mode: number };

export class ScratchError extends Error {}

export interface ScratchFs {
  stat(path: string): ScratchNode | undefined;
  read(path: string): Buffer;
  write(path: string, data: Buffer, mtimeSec?: number): void;
  mkdir(path: string, parents: boolean): void;
  remove(path: string, recursive: boolean): void;
  /** Names directly inside a directory, sorted. */
  list(path: string): string[];
  /** Every path at or under `path`, parents before children. */
  walk(path: string): string[];
  used(): number;
}

/** An absolute, normalised path: relative ones are taken from `cwd` (default `/`). */
export function resolvePath(path: string, cwd = '/'): string {
  const joined = posix.resolve(cwd, path);
  return joined === '' ? '/' : joined;
}

const STANDARD_DIRS = ['/', '/tmp', '/root', '/etc', '/var', '/var/tmp', '/home'];

/** Bytes held by every scratch filesystem of one simulator together. */
interface Budget {
  used: number;
}

function createScratchFs(nowSec: () => number, files: Record<string, string>, budget: Budget): ScratchFs {
  const nodes = new Map<string, ScratchNode>();
  let bytes = 0;
  for (const dir of STANDARD_DIRS) nodes.set(dir, { type: 'dir', mtime: nowSec() });

  const parentMustBeDir = (path: string): void => {
    const parent = nodes.get(posix.dirname(path));
    if (parent === undefined) throw new ScratchError(`${path}: No such file or directory`);
    if (parent.type !== 'dir') throw new ScratchError(`${path}: Not a directory`);
  };
  const room = (added: number, entries: number): void => {
    if (
      bytes + added > SCRATCH_LIMITS.bytes ||
      budget.used + added > SCRATCH_LIMITS.totalBytes ||
      nodes.size + entries > SCRATCH_LIMITS.entries
    )
      throw new ScratchError('No space left on device');
  };
  const fs: ScratchFs = {
    stat: (path) => nodes.get(resolvePath(path)),
    read(path) {
      const node = nodes.get(resolvePath(path));
      if (node === undefined) throw new ScratchError(`${path}: No such file or directory`);
      if (node.type === 'dir') throw new ScratchError(`${path}: Is a directory`);
      return node.data;
    },
    write(path, data, mtimeSec) {
      const at = resolvePath(path);
      parentMustBeDir(at);
      const existing = nodes.get(at);
      if (existing?.type === 'dir') throw new ScratchError(`${path}: Is a directory`);
      const old = existing?.type === 'file' ? existing.data.length : 0;
      room(data.length - old, existing === undefined ? 1 : 0);
      bytes += data.length - old;
      budget.used += data.length - old;
      nodes.set(at, { type: 'file', data, mtime: mtimeSec ?? nowSec(), mode: 0o644 });
    },
    mkdir(path, parents) {
      const at = resolvePath(path);
      const existing = nodes.get(at);
      if (existing !== undefined) {
        if (parents && existing.type === 'dir') return;
        throw new ScratchError(`cannot create directory '${path}': File exists`);
      }
      if (parents && !nodes.has(posix.dirname(at))) fs.mkdir(posix.dirname(at), true);
      parentMustBeDir(at);
      room(0, 1);
      nodes.set(at, { type: 'dir', mtime: nowSec() });
    },
    remove(path, recursive) {
      const at = resolvePath(path);
      const node = nodes.get(at);
      if (node === undefined) throw new ScratchError(`cannot remove '${path}': No such file or directory`);
      if (node.type === 'dir' && !recursive)
        throw new ScratchError(`cannot remove '${path}': Is a directory`);
      for (const p of fs.walk(at).reverse()) {
        const n = nodes.get(p);
        if (n?.type === 'file') {
          bytes -= n.data.length;
          budget.used -= n.data.length;
        }
        if (p !== '/') nodes.delete(p);
      }
    },
    list(path) {
      const at = resolvePath(path);
      const prefix = at === '/' ? '/' : `${at}/`;
      return [...nodes.keys()]
        .filter((p) => p !== at && p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
        .map((p) => p.slice(prefix.length))
        .sort();
    },
    walk(path) {
      const at = resolvePath(path);
      const prefix = at === '/' ? '/' : `${at}/`;
      return [...nodes.keys()].filter((p) => p === at || p.startsWith(prefix)).sort();
    },
    used: () => bytes,
  };
  for (const [path, text] of Object.entries(files)) fs.write(path, Buffer.from(text));
  return fs;
}

/** The scratch filesystems of every container, created on first use. */
export function createScratchStore(nowSec: () => number): {
  of(podUid: string, container: string, files: Record<string, string>): ScratchFs;
} {
  const all = new Map<string, ScratchFs>();
  const budget: Budget = { used: 0 };
  return {
    of(podUid, container, files) {
      const key = `${podUid}/${container}`;
      let fs = all.get(key);
      if (fs === undefined) {
        if (all.size >= SCRATCH_LIMITS.containers) {
          const oldest = all.keys().next().value;
          if (oldest !== undefined) {
            budget.used -= all.get(oldest)?.used() ?? 0;
            all.delete(oldest);
          }
        }
        fs = createScratchFs(nowSec, files, budget);
        all.set(key, fs);
      }
      return fs;
    },
  };
}
