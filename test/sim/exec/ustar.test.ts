// The simulator's ustar reader and writer agree with GNU tar, the tar a real container runs for
// `kubectl cp`: what one writes the other lists and extracts, long names included.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TarError, readTar, writeTar } from '../../../src/sim/exec/ustar.js';

const LONG = `${'deep/'.repeat(30)}dump.sql`;

describe('ustar', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-ustar-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('GNU tar lists and extracts what writeTar writes, a 158-character path included', () => {
    const archive = writeTar([
      { name: 'tmp', type: 'dir', data: Buffer.alloc(0), mode: 0o755, mtime: 1_610_420_460 },
      { name: 'tmp/a.txt', type: 'file', data: Buffer.from('first\n'), mode: 0o644, mtime: 1_610_420_460 },
      { name: LONG, type: 'file', data: Buffer.alloc(700, 0x61), mode: 0o600, mtime: 1_610_420_460 },
    ]);
    assert.equal(archive.length % 512, 0);
    const listed = execFileSync('tar', ['tf', '-'], { input: archive }).toString('utf8');
    assert.deepEqual(listed.trim().split('\n'), ['tmp/', 'tmp/a.txt', LONG]);
    const out = join(dir, 'out');
    mkdirSync(out);
    execFileSync('tar', ['xf', '-', '-C', out], { input: archive });
    assert.equal(readFileSync(join(out, 'tmp', 'a.txt'), 'utf8'), 'first\n');
    assert.equal(readFileSync(join(out, LONG)).length, 700);
  });

  it('readTar reads what GNU tar writes (ustar, and gnu long names)', () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, ...LONG.split('/').slice(0, -1)), { recursive: true });
    writeFileSync(join(src, LONG), 'long\n');
    writeFileSync(join(src, 'short.txt'), 'short\n');
    for (const format of ['ustar', 'gnu', 'posix']) {
      const archive = execFileSync('tar', ['cf', '-', `--format=${format}`, '-C', src, 'short.txt', LONG]);
      const entries = readTar(archive, 1024 * 1024);
      assert.deepEqual(
        entries.map((e) => [e.name, e.type, e.data.toString('utf8')]),
        [
          ['short.txt', 'file', 'short\n'],
          [LONG, 'file', 'long\n'],
        ],
        format,
      );
    }
  });

  it('readTar refuses what is not an archive, and more content than it may hold', () => {
    assert.throws(() => readTar(Buffer.alloc(1024, 0x41), 1024), TarError);
    const archive = writeTar([
      { name: 'big', type: 'file', data: Buffer.alloc(4096), mode: 0o644, mtime: 0 },
    ]);
    assert.throws(() => readTar(archive, 4095), /No space left on device/);
  });
});
