// Files given as parameters that are not what they must be: refused with exit 3 and their name,
// never echoed to the terminal, and nothing changed in the cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-bad-files-'));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
// Bytes no terminal should ever be sent: they include a would-be secret and escape sequences.
const binary = file(
  'binary.yaml',
  Buffer.concat([
    Buffer.from('\x1b[2J\x1b]0;pwned\x07planted-binary-secret'),
    Buffer.from([0, 0xff, 0xfe, 1]),
  ]),
);
const encrypted = file(
  'encrypted.yaml',
  Buffer.concat([Buffer.from('\0GITCRYPT\0'), Buffer.from([0x8f, 0x11, 0])]),
);
const broken = file(
  'broken.yaml',
  'apiVersion: apps/v1\nkind: Deployment\n  password: planted-yaml-secret: x\n',
);

const cases: Array<[string, string, RegExp]> = [
  ['a binary file', binary, /is a binary file, not YAML or JSON: pass the text file instead\.$/],
  [
    'a git-crypt file',
    encrypted,
    /is encrypted with git-crypt: unlock the repository \(git-crypt unlock\) and try again\.$/,
  ],
  [
    'YAML that does not parse',
    broken,
    /is not YAML or JSON: Nested mappings are not allowed in compact mappings at line 2, column 7\.$/,
  ],
];

describe('a --manifest that is not a manifest', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  for (const [what, path, sentence] of cases) {
    it(`${what}: exit 3 naming the file, its bytes never printed, nothing changed`, async () => {
      const result = await runCli(
        ['postgres-remount', '--yes', '--strategy', 'recreate', '--manifest', path],
        { env: h.env() },
      );
      assert.equal(result.exitCode, EXIT_CODES['invalid-parameter'], result.stderr);
      const line = result.stderr.split('\n').findLast((l) => l.startsWith('✖ '));
      assert.ok(line?.startsWith(`✖ --manifest ${path} `), result.stderr);
      assert.match(line ?? '', sentence);
      const all = result.stdout + result.stderr;
      assert.doesNotMatch(all, /planted-|\n\s+at /, 'no file bytes, no stack trace');
      assert.ok(!all.includes('\x1b]0;') && !all.includes('\0'), 'no escape sequence or NUL from the file');
      assert.deepEqual(h.mutations(), []);
    });
  }
});
