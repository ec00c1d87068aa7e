// A manual step in a real terminal (tmux, 80×24): the instructions are shown, the operator answers
// with one key that it is done, and the journal says who and when; with --yes the run stops with exit code 10, or leaves
// a skippable step out. The program is a tiny runbook run by the CLI's own task list and prompts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Terminal, hasTmux, openTerminal } from '../helpers/terminal.js';

const skip = hasTmux ? false : 'tmux is not installed (.ci/run installs it)';
const PROGRAM = join(import.meta.dirname, '..', 'fixtures', 'manual-step', 'program.ts');
const TSX = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');

describe('a manual step in a terminal', { skip }, () => {
  let h: SimHarness;
  let dir: string;
  let terminal: Terminal | undefined;
  before(async () => {
    h = await startSimHarness('healthy');
    dir = mkdtempSync(join(tmpdir(), 'manual-step-'));
  });
  after(async () => {
    terminal?.close();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const journalOf = (file: string): Array<Record<string, unknown>> =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('shows the instructions, asks whether it is done, and journals who confirmed it when', async () => {
    const journal = join(dir, 'confirmed.jsonl');
    // The narrowest terminal an operator is likely to have: 80×24.
    terminal = openTerminal([TSX, PROGRAM, journal], h.env(), { columns: 80, rows: 24 });
    const screen = await terminal.waitFor(/Is this done by hand\?/, 60_000);
    assert.match(screen, /At the DNS provider, point shop\.example\.com at the maintenance page\./);
    assert.match(screen, /^ {4}y {2}yes, it is done$/m);
    terminal.press('y');
    assert.equal(await terminal.waitForExit(), 0, terminal.screen());
    assert.match(terminal.scrollback(), /^ {2}\? Is this done by hand\? → yes, it is done$/m);
    assert.match(
      terminal.scrollback(),
      /At the DNS provider, point shop\.example\.com at the maintenance page\./,
    );
    const manual = journalOf(journal).filter((r) => r.type === 'manual');
    assert.equal(manual.length, 1);
    assert.equal(manual[0]?.operator, 'ana');
    assert.equal(manual[0]?.outcome, 'confirmed');
    assert.match(String(manual[0]?.time), /^\d{4}-\d\d-\d\dT/);
    terminal.close();
    terminal = undefined;
  });

  it('stops a --yes run, saying it needs an operator', async () => {
    terminal = openTerminal([TSX, PROGRAM, join(dir, 'yes.jsonl'), '--yes'], h.env());
    assert.equal(await terminal.waitForExit(), EXIT_CODES['needs-terminal'], terminal.screen());
    assert.match(
      terminal.screen(),
      /manual step "put the site into maintenance mode" needs an operator; run without --yes/,
    );
    terminal.close();
    terminal = undefined;
  });

  it('leaves a skippable step out of a --yes run, journaled as skipped', async () => {
    const journal = join(dir, 'skipped.jsonl');
    terminal = openTerminal([TSX, PROGRAM, journal, '--yes', '--skippable'], h.env());
    assert.equal(await terminal.waitForExit(), 0, terminal.screen());
    const outcomes = journalOf(journal)
      .filter((r) => r.type === 'manual')
      .map((r) => r.outcome);
    assert.deepEqual(outcomes, ['skipped']);
    terminal.close();
    terminal = undefined;
  });
});
