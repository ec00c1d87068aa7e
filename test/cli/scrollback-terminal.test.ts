// A long run in real terminals of three sizes (tmux): once it ended, the terminal's whole scrollback
// still shows every step's title in order, each printed once, the NO BACKUP warning where it was
// given and again in the final summary, which names the run and the `runbook log` command.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { nodeRecycle } from '../../runbooks/node-recycle.js';
import { postgresRemount } from '../../runbooks/postgres-remount.js';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { simTerminals } from '../helpers/sim-terminal.js';
import { type Terminal, type TerminalSize, hasTmux, openTerminal } from '../helpers/terminal.js';

const skip = hasTmux ? false : 'tmux is not installed (.ci/run installs it)';

const SIZES: readonly TerminalSize[] = [
  { columns: 80, rows: 24 },
  { columns: 100, rows: 24 },
  { columns: 160, rows: 50 },
];

/** Where each of `texts` is first found in `haystack`, or -1. */
const positions = (haystack: string, texts: readonly string[]): number[] =>
  texts.map((text) => haystack.indexOf(text));

for (const size of SIZES) {
  describe(`postgres-remount on a ${size.columns}×${size.rows} terminal`, { skip }, () => {
    const on = simTerminals('2020-12-11-postgres-conn-surge');

    it('keeps every step, its outcome and the NO BACKUP warning in the scrollback, and sums the run up', async () => {
      const terminal = on.open([process.execPath, BIN, 'postgres-remount', '--yes'], size);
      assert.equal(await terminal.waitForExit(), 0, terminal.scrollback());
      const kept = terminal.scrollback();
      const lines = kept.split('\n');
      assert.ok(lines.length > size.rows, `the run is taller than the screen (${lines.length} lines)`);

      const titles = postgresRemount.steps.map((step, i) => `${i + 1}. ${step.title}`);
      const started = positions(
        kept,
        titles.map((t) => `❯ ${t}`),
      );
      const ended = positions(
        kept,
        titles.map((t) => `✔ ${t}`),
      );
      assert.ok(started.every((p) => p >= 0) && ended.every((p) => p >= 0), kept);
      assert.deepEqual(
        started,
        [...started].sort((a, b) => a - b),
        'the steps appear in order',
      );
      for (const [i, start] of started.entries())
        assert.ok(start < (ended[i] ?? -1), `step ${i + 1} ends after it starts`);
      for (const title of titles) {
        assert.equal(
          lines.filter((line) => line.startsWith(`❯ ${title}`)).length,
          1,
          `"${title}" is printed once: nothing is redrawn into the scrollback`,
        );
      }
      assert.ok(!/^[\u2800-\u28ff] /m.test(kept), 'the live part (spinner) is gone once the run ended');

      const warning = /! NO BACKUP: cannot reach Postgres to dump it\./g;
      const warnings = [...kept.matchAll(warning)].map((m) => m.index);
      assert.equal(warnings.length, 2, 'given with its step, and repeated in the summary');
      const summary = kept.slice(kept.indexOf('✔ postgres-remount finished'));
      assert.ok(summary.length > 0 && (warnings[0] ?? Infinity) < (ended[1] ?? -1), kept);
      assert.match(summary, /4 steps changed something, 3 had nothing to change\./);
      assert.match(
        summary,
        /^ {2}Changed:\n {4}3\. Take Postgres down: scale deployment default\/postgres from 1 to 0$/m,
      );
      assert.match(summary, /^ {4}5\. Detach the volume at Linode: detach Linode volume pvc[0-9a-f]+ /m);
      assert.match(summary, /^ {2}Warnings:\n {4}! NO BACKUP: cannot reach Postgres/m);
      const runId = /^ {2}run {6}(\S+)/m.exec(kept)?.[1];
      assert.ok(runId !== undefined, kept);
      assert.ok(summary.includes(`Run ${runId}; its whole record: runbook log ${runId}`), summary);
    });
  });
}

describe('node-recycle --sim on an 80×24 terminal', { skip }, () => {
  let terminal: Terminal | undefined;
  after(() => terminal?.close());

  it('keeps all fourteen steps in the scrollback, in order, once each', async () => {
    terminal = openTerminal(
      [
        process.execPath,
        BIN,
        'node-recycle',
        '--sim',
        '--speed',
        '60',
        '--yes',
        '--node',
        'lke13311-20304-5ffa4d0d8a1c',
      ],
      cleanEnv(),
      { columns: 80, rows: 24 },
    );
    assert.equal(await terminal.waitForExit(120_000), 0, terminal.scrollback());
    const kept = terminal.scrollback();
    const titles = nodeRecycle.steps.map((step, i) => `${i + 1}. ${step.title}`);
    assert.ok(titles.length >= 10);
    const ended = positions(
      kept,
      titles.map((t) => `✔ ${t}`),
    );
    assert.ok(
      ended.every((p) => p >= 0),
      kept,
    );
    assert.deepEqual(
      ended,
      [...ended].sort((a, b) => a - b),
      'the steps appear in order',
    );
    const lines = kept.split('\n');
    for (const title of titles)
      assert.equal(lines.filter((line) => line.startsWith(`❯ ${title}`)).length, 1, title);
    assert.match(kept, /✔ node-recycle finished in [\d.]+s\. /);
    assert.match(kept, /^ {2}Run \S+; its whole record: runbook log \S+$/m);
  });
});
