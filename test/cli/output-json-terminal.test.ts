// `-o json` in a terminal where a person answers: the questions are asked on the terminal (stderr),
// and stdout, redirected to a file, holds the run's result and nothing else: the task list's questions
// and the stale lock's, asked before the task list starts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { BIN } from '../helpers/cli.js';
import { simTerminals } from '../helpers/sim-terminal.js';
import { firstNode, plantLease } from '../helpers/stale-lock.js';
import { hasTmux } from '../helpers/terminal.js';

describe('-o json with questions', { skip: hasTmux ? false : 'tmux is not installed' }, () => {
  const on = simTerminals('2020-12-11-postgres-conn-surge');
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

  it('asks on the terminal and leaves only the result on stdout', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runbook-json-')), 'result.json');
    const terminal = on.open([
      'bash',
      '-c',
      `${quote(process.execPath)} ${quote(BIN)} postgres-remount -o json > ${quote(file)}`,
    ]);
    await terminal.waitFor({
      description: 'the question before scaling Postgres down',
      matches: (screen) => /from 1 to 0[\s\S]*\?/.test(screen.split('Take Postgres down')[1] ?? ''),
    });
    terminal.answer('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined);
    const result = JSON.parse(readFileSync(file, 'utf8')) as {
      status: string;
      exitCode: number;
      changes: unknown[];
    };
    assert.equal(result.status, 'declined');
    assert.equal(result.exitCode, EXIT_CODES.declined);
    assert.deepEqual(result.changes, []);
    assert.match(terminal.screen(), /Locate Postgres/);
  });

  it('asks for a stale lock on the terminal too, before the task list, and leaves only the result on stdout', async () => {
    plantLease(on.sim(), 600_000);
    const file = join(mkdtempSync(join(tmpdir(), 'runbook-json-')), 'result.json');
    const terminal = on.open([
      'bash',
      '-c',
      `${quote(process.execPath)} ${quote(BIN)} node-uncordon --yes --break-lock --node ${firstNode(on.sim())} -o json > ${quote(file)}`,
    ]);
    await terminal.waitFor(/Type joe@laptop to/);
    terminal.answer('joe@laptop');
    assert.equal(await terminal.waitForExit(), 0, terminal.screen());
    const result = JSON.parse(readFileSync(file, 'utf8')) as { status: string; runbook: string };
    assert.equal(result.status, 'finished');
    assert.equal(result.runbook, 'node-uncordon');
    assert.match(terminal.screen(), /taken over: it was stale/);
  });
});
