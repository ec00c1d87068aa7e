// Each container's scratch filesystem is bounded, and so are all of them together: a rehearsal
// cannot fill the simulator's memory through kubectl cp.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SCRATCH_LIMITS, ScratchError, createScratchStore } from '../../../src/sim/exec/scratch-fs.js';

const MiB = 1024 * 1024;

describe('scratch filesystems', () => {
  it('a container holds files and folders up to its size, then has no space left', () => {
    const fs = createScratchStore(() => 0).of('uid-1', 'app', { '/etc/hostname': 'app\n' });
    assert.equal(fs.read('/etc/hostname').toString(), 'app\n');
    fs.mkdir('/tmp/a/b', true);
    fs.write('/tmp/a/b/c.txt', Buffer.from('c'));
    assert.deepEqual(fs.list('/tmp/a'), ['b']);
    assert.throws(() => fs.write('/nowhere/x', Buffer.from('x')), /No such file or directory/);
    assert.throws(() => fs.write('/tmp/big', Buffer.alloc(SCRATCH_LIMITS.bytes)), ScratchError);
    assert.equal(fs.stat('/tmp/big'), undefined);
    fs.remove('/tmp/a', true);
    assert.equal(fs.stat('/tmp/a/b/c.txt'), undefined);
  });

  it('all containers together stay within the total; forgetting a container frees its share', () => {
    const store = createScratchStore(() => 0);
    const chunk = Buffer.alloc(15 * MiB);
    const fits = Math.floor(SCRATCH_LIMITS.totalBytes / chunk.length);
    for (let i = 0; i < fits; i++) store.of(`uid-${i}`, 'app', {}).write('/tmp/f', chunk);
    assert.throws(() => store.of('uid-next', 'app', {}).write('/tmp/f', chunk), /No space left on device/);
    // Rewriting a file counts only the difference.
    store.of('uid-0', 'app', {}).write('/tmp/f', chunk);
    store.of('uid-0', 'app', {}).remove('/tmp/f', false);
    store.of('uid-next', 'app', {}).write('/tmp/f', chunk);
  });
});
