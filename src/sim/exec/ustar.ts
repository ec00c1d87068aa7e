// A minimal ustar reader and writer: `kubectl cp` is `tar cf -` and `tar xf -` inside the container,
// so the simulator's scratch filesystem speaks the archive format kubectl's Go archive/tar reads and writes.

export interface TarEntry {
  /** Relative path; directories without the trailing slash. */
  readonly name: string;
  readonly type: 'file' | 'dir';
  readonly data: Buffer;
  readonly mode: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width includes the terminating NUL.
  return value.toString(8).padStart(width - 1, '0');
}

function putString(header: Buffer, offset: number, width: number, text: string): void {
  header.write(text, offset, Math.min(width, Buffer.byteLength(text)), 'utf8');
}

/** Splits a long name into ustar's prefix (155) and name (100) at a slash; undefined when it cannot. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '')
      return { prefix, name: rest };
  }
  return undefined;
}

function header(entry: TarEntry): Buffer {
  const fullName = entry.type === 'dir' ? `${entry.name}/` : entry.name;
  const split = splitName(fullName);
  if (split === undefined) throw new Error(`tar: ${entry.name}: file name is too long`);
  const h = Buffer.alloc(BLOCK, 0);
  putString(h, 0, 100, split.name);
  putString(h, 100, 8, `${octal(entry.mode & 0o7777, 8)}\0`);
  putString(h, 108, 8, `${octal(0, 8)}\0`);
  putString(h, 116, 8, `${octal(0, 8)}\0`);
  putString(h, 124, 12, `${octal(entry.type === 'file' ? entry.data.length : 0, 12)}\0`);
  putString(h, 136, 12, `${octal(Math.max(0, Math.floor(entry.mtime)), 12)}\0`);
  h.fill(0x20, 148, 156);
  h.write(entry.type === 'dir' ? '5' : '0', 156, 1, 'latin1');
  h.write('ustar\u000000', 257, 8, 'latin1');
  putString(h, 265, 32, 'root');
  putString(h, 297, 32, 'root');
  putString(h, 345, 155, split.prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${octal(sum, 7)}\0 `, 148, 8, 'latin1');
  return h;
}

/** The archive for `entries`, ended by two zero blocks. */
export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry));
    if (entry.type === 'file' && entry.data.length > 0) {
      parts.push(entry.data);
      const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
      if (pad > 0) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

function field(h: Buffer, offset: number, width: number): string {
  const raw = h.subarray(offset, offset + width);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? width : end).toString('utf8');
}

function numberField(h: Buffer, offset: number, width: number): number {
  const first = h[offset] ?? 0;
  if ((first & 0x80) !== 0) {
    // GNU base-256: big-endian after the marker bit.
    let value = first & 0x7f;
    for (let i = 1; i < width; i++) value = value * 256 + (h[offset + i] ?? 0);
    return value;
  }
  const text = field(h, offset, width).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** PAX extended header records: "<len> key=value\n". */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const text = data.toString('utf8');
  let at = 0;
  while (at < text.length) {
    const space = text.indexOf(' ', at);
    if (space === -1) break;
    const length = Number(text.slice(at, space));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = text.slice(space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return out;
}

export class TarError extends Error {}

/**
 * The files and directories of an archive. Links and devices are skipped (a scratch filesystem
 * holds neither); `maxBytes` bounds the content read, as the filesystem's quota does.
 */
export function readTar(archive: Buffer, maxBytes: number): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  let total = 0;
  let longName: string | undefined;
  while (at + BLOCK <= archive.length) {
    const h = archive.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    if (sum !== numberField(h, 148, 8)) throw new TarError('This does not look like a tar archive');
    const size = numberField(h, 124, 12);
    const type = String.fromCharCode(h[156] ?? 0);
    const dataStart = at + BLOCK;
    const data = archive.subarray(dataStart, dataStart + size);
    if (data.length < size) throw new TarError('Unexpected EOF in archive');
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = paxRecords(data).get('path') ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'g') continue;
    const magic = field(h, 257, 6);
    const prefix = magic.startsWith('ustar') ? field(h, 345, 155) : '';
    const name = longName ?? (prefix === '' ? field(h, 0, 100) : `${prefix}/${field(h, 0, 100)}`);
    longName = undefined;
    const mode = numberField(h, 100, 8);
    const mtime = numberField(h, 136, 12);
    const clean = name.replace(/\/+$/, '');
    if (type === '5') {
      entries.push({ name: clean, type: 'dir', data: Buffer.alloc(0), mode, mtime });
    } else if (type === '0' || type === '\0' || type === '7') {
      total += size;
      if (total > maxBytes) throw new TarError('Cannot write: No space left on device');
      entries.push({ name: clean, type: 'file', data: Buffer.from(data), mode, mtime });
    }
  }
  return entries;
}
