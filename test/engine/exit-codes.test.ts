import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';

describe('exit codes', () => {
  it('every way a run can end has its own code', () => {
    const byCode = new Map<number, string[]>();
    for (const [name, code] of Object.entries(EXIT_CODES))
      byCode.set(code, [...(byCode.get(code) ?? []), name]);
    const shared = [...byCode.values()].filter((names) => names.length > 1);
    assert.deepEqual(shared, []);
  });

  it('the README documents every code, each in its own row', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| (\d+) +\| /gm)].map((m) => Number(m[1]));
    assert.deepEqual(
      [...new Set(Object.values(EXIT_CODES))].sort((a, b) => a - b),
      rows.sort((a, b) => a - b),
    );
  });
});
