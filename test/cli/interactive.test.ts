// The interactive path, in a real terminal (tmux), answered as a person would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { BIN } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Terminal, hasTmux, openTerminal } from '../helpers/terminal.js';

const skip = hasTmux ? false : 'tmux is not installed (.ci/run installs it)';

function postgresPodName(h: SimHarness): string {
  const pod = h.sim.world.kube
    .list('v1', 'Pod', 'default')
    .find((p) => p.metadata.labels?.app === 'postgres');
  assert.ok(pod !== undefined);
  return pod.metadata.name;
}

/**
 * Waits until step `step` is the one running (listr2 marks it with a spinner) and it asks a question
 * matching `question`. Answered questions vanish from the screen, so this is how a person sees the
 * next one.
 */
async function questionOf(
  terminal: Terminal,
  step: number,
  question: RegExp = /Make this change\?/,
): Promise<string> {
  return terminal.waitFor({
    description: `step ${step} asking ${String(question)}`,
    matches: (screen: string) => {
      const running = screen
        .split('\n')
        .some((line) => new RegExp(`^[\u2800-\u28ff] ${step}\\. `).test(line));
      const asked = screen.split('\n').some((line) => line.startsWith('? ') && question.test(line));
      return running && asked;
    },
  });
}

describe('postgres-remount in a terminal', { skip }, () => {
  let h: SimHarness;
  let terminal: Terminal | undefined;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(async () => {
    terminal?.close();
    await h.stop();
  });

  it('asks before each change, makes the operator type what is destroyed, and finishes', async () => {
    const pod = postgresPodName(h);
    terminal = openTerminal([process.execPath, BIN, 'postgres-remount'], h.env());
    const header = await questionOf(terminal, 3);
    assert.match(header, /cluster {2}lke13311-ctx at http:\/\/127\.0\.0\.1:\d+ \(3 nodes\)/);
    assert.match(header, /scale deployment default\/postgres from 1 to 0/);
    terminal.answer('y');

    const forceDelete = await questionOf(terminal, 4);
    assert.match(forceDelete, /cannot be killed by its kubelet/);
    assert.match(forceDelete, new RegExp(`force-delete pod default/${pod}`));
    terminal.answer('y');
    await questionOf(terminal, 4, new RegExp(`Type ${pod} to confirm:`));
    terminal.answer(pod);

    const detach = await questionOf(terminal, 5);
    assert.match(detach, /the CSI driver failed to detach/);
    const label = /detach Linode volume (pvc[0-9a-f]{16})/.exec(detach)?.[1];
    assert.ok(label !== undefined, detach);
    terminal.answer('y');
    await questionOf(terminal, 5, new RegExp(`Type ${label} to confirm:`));
    terminal.answer(label);

    const bringUp = await questionOf(terminal, 6);
    assert.match(bringUp, /scale deployment default\/postgres from 0 to 1/);
    terminal.answer('y');
    assert.equal(await terminal.waitForExit(), 0, terminal.screen());
    assert.match(terminal.screen(), /✔ postgres-remount finished/);
    terminal.close();
    terminal = undefined;
  });
});

describe('declining in a terminal', { skip }, () => {
  let h: SimHarness;
  let terminal: Terminal | undefined;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(async () => {
    terminal?.close();
    await h.stop();
  });

  it('"n" at the first question stops the run: exit 4, nothing changed', async () => {
    terminal = openTerminal([process.execPath, BIN, 'postgres-remount'], h.env());
    await questionOf(terminal, 3);
    terminal.answer('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
    assert.match(terminal.screen(), /Stopped at step "Take Postgres down": the operator answered no/);
    assert.deepEqual(h.mutations(), []);
    terminal.close();
    terminal = undefined;
  });

  it('a wrong name typed for a destructive change stops the run with nothing after it executed', async () => {
    terminal = openTerminal([process.execPath, BIN, 'postgres-remount'], h.env());
    await questionOf(terminal, 3);
    terminal.answer('y');
    await questionOf(terminal, 4);
    const beforeAnswer = h.mutations().length;
    terminal.answer('y');
    await questionOf(terminal, 4, /Type postgres-\S+ to confirm:/);
    terminal.answer('postgres');
    // The take-down already happened: undoing it is offered, and declined here.
    await terminal.waitFor(
      /Undo: Take Postgres down[^]*scale deployment default\/postgres from 0 to 1[^]*Make this change\?/,
    );
    terminal.answer('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
    assert.match(terminal.screen(), /the name typed did not match/);
    const after = h.mutations().slice(beforeAnswer);
    assert.deepEqual(after, [], 'nothing ran after the declined step');
    assert.ok(h.mutations().every((r) => r.api === 'kubernetes' && r.path.endsWith('/scale')));
    terminal.close();
    terminal = undefined;
  });
});
