// The interactive path, in a real terminal (tmux), answered as a person would.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { BIN } from '../helpers/cli.js';
import type { SimHarness } from '../helpers/sim.js';
import { simTerminals } from '../helpers/sim-terminal.js';
import { type Terminal, hasTmux } from '../helpers/terminal.js';

const skip = hasTmux ? false : 'tmux is not installed (.ci/run installs it)';

function postgresPodName(h: SimHarness): string {
  const pod = h.sim.world.kube
    .list('v1', 'Pod', 'default')
    .find((p) => p.metadata.labels?.app === 'postgres');
  assert.ok(pod !== undefined);
  return pod.metadata.name;
}

/**
 * Waits until step `step` is the one running (the live part below the scrollback marks it with a
 * spinner) and the question under it matches `question`. An answered question moves up into the
 * scrollback, so the live part is how a person sees the next one.
 */
async function questionOf(
  terminal: Terminal,
  step: number,
  question: RegExp = /Make this change\?/,
): Promise<string> {
  return terminal.waitFor({
    description: `step ${step} asking ${String(question)}`,
    matches: (screen: string) => {
      const lines = screen.split('\n');
      const running = lines.findLastIndex((line) => new RegExp(`^[\u2800-\u28ff] ${step}\\. `).test(line));
      if (running < 0) return false;
      const live = lines.slice(running + 1).join('\n');
      return /^\? /m.test(live) && question.test(live);
    },
  });
}

describe('postgres-remount in a terminal', { skip }, () => {
  const on = simTerminals('2020-12-11-postgres-conn-surge');

  it('asks before each change, makes the operator type what is destroyed, and finishes', async () => {
    const pod = postgresPodName(on.sim());
    const terminal = on.open([process.execPath, BIN, 'postgres-remount']);
    const header = await questionOf(terminal, 3);
    assert.match(header, /cluster {2}lke13311-ctx at http:\/\/127\.0\.0\.1:\d+ \(3 nodes\)/);
    assert.match(header, /scale deployment default\/postgres from 1 to 0/);
    // The options are ours, in words; one key answers, with no Enter after it.
    assert.match(
      header,
      /^ {4}y {2}yes, do it\n {4}s {2}skip this step and go on with the next\n {4}n {2}no: stop the run here$/m,
    );
    assert.doesNotMatch(header, /\(ysnH\)/);
    terminal.press('y');

    const forceDelete = await questionOf(terminal, 4);
    assert.match(forceDelete, /cannot be killed by its kubelet/);
    assert.match(forceDelete, new RegExp(`force-delete pod default/${pod}`));
    assert.match(
      forceDelete,
      /^ {2}\? Make this change\? → yes, do it$/m,
      'the answer stays in the scrollback',
    );
    terminal.press('y');
    await questionOf(terminal, 4, new RegExp(`Type ${pod} to confirm:`));
    terminal.answer(pod);

    const detach = await questionOf(terminal, 5);
    assert.match(detach, /the CSI driver failed to detach/);
    const label = /detach Linode volume (pvc[0-9a-f]{16})/.exec(detach)?.[1];
    assert.ok(label !== undefined, detach);
    terminal.press('y');
    await questionOf(terminal, 5, new RegExp(`Type ${label} to confirm:`));
    terminal.answer(label);

    const bringUp = await questionOf(terminal, 6);
    assert.match(bringUp, /scale deployment default\/postgres from 0 to 1/);
    terminal.press('y');
    assert.equal(await terminal.waitForExit(), 0, terminal.screen());
    assert.match(terminal.screen(), /✔ postgres-remount finished/);
  });
});

describe('declining in a terminal', { skip }, () => {
  const on = simTerminals('2020-12-11-postgres-conn-surge');

  it('"n" at the first question stops the run: exit 4, nothing changed', async () => {
    const terminal = on.open([process.execPath, BIN, 'postgres-remount']);
    await questionOf(terminal, 3);
    terminal.press('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
    assert.match(terminal.screen(), /Stopped at step "Take Postgres down": the operator answered no/);
    assert.deepEqual(on.sim().mutations(), []);
  });

  it('a key that answers nothing says which keys do, and Enter alone is no answer', async () => {
    const terminal = on.open([process.execPath, BIN, 'postgres-remount']);
    await questionOf(terminal, 3);
    terminal.press('x');
    await questionOf(terminal, 3, /"x" is not an answer: press y, s, n\./);
    terminal.answer('');
    await questionOf(terminal, 3, /"Enter" is not an answer: press y, s, n\./);
    terminal.press('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
    assert.deepEqual(on.sim().mutations(), []);
  });

  it('three wrong names stop the run with nothing after it executed, and say how to resume', async () => {
    const terminal = on.open([process.execPath, BIN, 'postgres-remount']);
    await questionOf(terminal, 3);
    terminal.press('y');
    await questionOf(terminal, 4);
    const beforeAnswer = on.sim().mutations().length;
    terminal.press('y');
    await questionOf(terminal, 4, /Type postgres-\S+ to confirm:/);
    terminal.answer('postgres');
    await questionOf(terminal, 4, /try 2 of 3/);
    terminal.answer('postgres-');
    await questionOf(terminal, 4, /try 3 of 3/);
    terminal.answer('postgres-0');
    // The take-down already happened: undoing it is offered, and declined here.
    await terminal.waitFor(
      /Undo: Take Postgres down[^]*scale deployment default\/postgres from 0 to 1[^]*Make this change\?/,
    );
    terminal.press('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
    assert.match(terminal.screen(), /the name typed did not match "postgres-\S+" \(3 tries\)/);
    // What mattered earlier in the run is said again where it stopped.
    assert.match(terminal.screen(), /^! NO BACKUP: cannot reach Postgres to dump it\./m);
    const runId = /^ {2}run {6}(\S+)/m.exec(terminal.scrollback())?.[1];
    assert.ok(runId !== undefined, terminal.scrollback());
    assert.ok(terminal.screen().includes(`runbook resume ${runId}`), terminal.screen());
    const after = on.sim().mutations().slice(beforeAnswer);
    assert.deepEqual(after, [], 'nothing ran after the declined step');
    assert.ok(
      on
        .sim()
        .mutations()
        .every((r) => r.api === 'kubernetes' && r.path.endsWith('/scale')),
    );
  });
});

describe('a typo in a typed name, in a terminal', { skip }, () => {
  const on = simTerminals('2020-12-11-postgres-conn-surge');

  it('a typo in a typed name asks again; the right name on the second try goes on', async () => {
    const terminal = on.open([process.execPath, BIN, 'postgres-remount']);
    await questionOf(terminal, 3);
    terminal.press('y');
    await questionOf(terminal, 4);
    const pod = postgresPodName(on.sim());
    terminal.press('y');
    await questionOf(terminal, 4, /Type postgres-\S+ to confirm:/);
    terminal.answer(`${pod}x`);
    await questionOf(
      terminal,
      4,
      new RegExp(`That is not ${pod} \\(try 2 of 3\\)\\.\\s+Type ${pod} to confirm:`),
    );
    terminal.answer(pod);
    await questionOf(terminal, 5);
    assert.equal(on.sim().get('v1', 'Pod', 'default', pod), undefined, 'the pod was force-deleted');
    terminal.press('n');
    await terminal.waitFor(/Undo: Take Postgres down[^]*Make this change\?/);
    terminal.press('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
  });
});
