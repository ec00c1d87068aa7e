import assert from 'node:assert/strict';
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
});
