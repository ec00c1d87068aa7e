// The interactive path, in a real terminal (tmux), answered as a person would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { BIN } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Terminal, hasTmux, openTerminal } from '../helpers/terminal.js';

const skip = hasTmux ? false : 'tmux is not installed (.ci/run installs it)';
const QUESTION = 'Make this change?';

function postgresPodName(h: SimHarness): string {
  const pod = h.sim.world.kube
    .list('v1', 'Pod', 'default')
    .find((p) => p.metadata.labels?.app === 'postgres');
  assert.ok(pod !== undefined);
  return pod.metadata.name;
}

/** Waits for the next question after the screen shows `count - 1` of them. */
async function nextQuestion(terminal: Terminal, count: number, text = QUESTION): Promise<string> {
  return terminal.waitFor(new RegExp(`(${text}[^]*){${count}}`));
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
    const header = await terminal.waitFor(QUESTION);
    assert.match(header, /cluster {2}lke13311-ctx at http:\/\/127\.0\.0\.1:\d+ \(3 nodes\)/);
    assert.match(header, /scale deployment default\/postgres from 1 to 0/);
    terminal.answer('y');

    const forceDelete = await nextQuestion(terminal, 2);
    assert.match(forceDelete, /cannot be killed by its kubelet/);
    assert.match(forceDelete, new RegExp(`force-delete pod default/${pod}`));
    terminal.answer('y');
    await terminal.waitFor(`Type ${pod} to confirm:`);
    terminal.answer(pod);

    await nextQuestion(terminal, 3);
    terminal.answer('y');
    const detach = await nextQuestion(terminal, 1, 'Type pvc[0-9a-f]{16} to confirm:');
    const label = /Type (pvc[0-9a-f]{16}) to confirm:/.exec(detach)?.[1];
    assert.ok(label !== undefined, detach);
    terminal.answer(label);

    await terminal.waitFor(/scale deployment default\/postgres from 0 to 1[^]*Make this change\?/);
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
    await terminal.waitFor(QUESTION);
    terminal.answer('n');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
    assert.match(terminal.screen(), /Stopped at step "Take Postgres down": the operator answered no/);
    assert.deepEqual(h.mutations(), []);
    terminal.close();
    terminal = undefined;
  });

  it('a wrong name typed for a destructive change stops the run with nothing after it executed', async () => {
    terminal = openTerminal([process.execPath, BIN, 'postgres-remount'], h.env());
    await terminal.waitFor(QUESTION);
    terminal.answer('y');
    await nextQuestion(terminal, 2);
    const beforeAnswer = h.mutations().length;
    terminal.answer('y');
    await terminal.waitFor(/Type postgres-\S+ to confirm:/);
    terminal.answer('postgres');
    assert.equal(await terminal.waitForExit(), EXIT_CODES.declined, terminal.screen());
    assert.match(terminal.screen(), /the name typed did not match/);
    const after = h.mutations().slice(beforeAnswer);
    assert.deepEqual(after, [], 'nothing ran after the declined step');
    assert.ok(h.mutations().every((r) => r.api === 'kubernetes' && r.path.endsWith('/scale')));
    terminal.close();
    terminal = undefined;
  });
});
