// A manual step: the run shows its instructions and asks the operator whether it is done; the
// journal says who confirmed it and when. With --yes no one can: the run stops with a sentence that
// says so, unless the runbook marks the step skippable, which is then journaled as skipped. A resumed
// run does not ask again for a step finished before. The cluster is the simulator, over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ConfirmQuestion, type Confirmer, alwaysYes } from '../../src/engine/confirm.js';
import { RunbookError } from '../../src/engine/errors.js';
import { exitCodeFor } from '../../src/engine/exit-codes.js';
import type { JournalEvent } from '../../src/engine/journal-events.js';
import type { Readers, Writers } from '../../src/engine/ports.js';
import { type CompletedStep, RunbookRun } from '../../src/engine/run.js';
import type { AnyRunbook } from '../../src/engine/runbook.js';
import { connectKube, createKubeReader, createKubeWriter } from '../../src/providers/kubernetes/index.js';
import { connectLinode, createLinodeReader, createLinodeWriter } from '../../src/providers/linode/index.js';
import { recordOutput } from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { INSTRUCTIONS, maintenanceRunbook } from '../fixtures/manual-step/runbook.js';

function answering(answer: 'yes' | 'no'): Confirmer & { questions: ConfirmQuestion[] } {
  const questions: ConfirmQuestion[] = [];
  return {
    questions,
    ask: (question) => {
      questions.push(question);
      return Promise.resolve(answer);
    },
    typeToConfirm: () => Promise.resolve(true),
  };
}

describe('a manual step', () => {
  let h: SimHarness;
  let read: Readers;
  let write: Writers;

  before(async () => {
    h = await startSimHarness('healthy');
    const env = h.env();
    const kube = await connectKube({ kubeconfig: h.kubeconfig, env });
    const linode = await connectLinode({ env });
    read = { kube: createKubeReader(kube), linode: createLinodeReader(linode) };
    write = { kube: createKubeWriter(kube), linode: createLinodeWriter(linode) };
  });
  after(() => h.stop());

  function start(
    runbook: AnyRunbook,
    completed?: ReadonlyMap<string, CompletedStep>,
  ): { run: RunbookRun; journal: JournalEvent[] } {
    const journal: JournalEvent[] = [];
    const run = new RunbookRun({
      runbook,
      params: {},
      read,
      write,
      confirmer: alwaysYes,
      operator: 'ana',
      signal: new AbortController().signal,
      recorder: { record: (event) => journal.push(event) },
      ...(completed === undefined ? {} : { completed }),
    });
    return { run, journal };
  }

  it('shows its instructions, asks whether it is done, and journals who confirmed it', async () => {
    const { run, journal } = start(maintenanceRunbook(false));
    const confirmer = answering('yes');
    const { lines, out } = recordOutput();
    const [step] = run.steps;
    assert.ok(step !== undefined);
    const result = await run.runStep(step, out, confirmer);

    assert.equal(result.status, 'done');
    assert.ok(lines.some((l) => l.includes('by hand: put the site into maintenance mode')));
    assert.ok(lines.some((l) => l.includes(INSTRUCTIONS[0] ?? '')));
    assert.equal(confirmer.questions.length, 1);
    assert.equal(confirmer.questions[0]?.manual, true);
    assert.deepEqual(
      journal.filter((e) => e.type === 'manual'),
      [
        {
          type: 'manual',
          step: 'maintenance-mode',
          title: 'put the site into maintenance mode',
          outcome: 'confirmed',
          operator: 'ana',
        },
      ],
    );
    assert.equal(h.mutations().length, 0, 'a manual step sends nothing to the cluster');
  });

  it('stops a --yes run: it needs an operator', async () => {
    const { run, journal } = start(maintenanceRunbook(false));
    const [step] = run.steps;
    assert.ok(step !== undefined);
    await assert.rejects(run.runStep(step, recordOutput().out), (error: unknown) => {
      assert.ok(error instanceof RunbookError);
      assert.equal(error.code, 'needs-terminal');
      assert.equal(exitCodeFor(error.code), 10);
      assert.match(
        error.message,
        /manual step "put the site into maintenance mode" needs an operator; run without --yes/,
      );
      return true;
    });
    assert.equal(journal.filter((e) => e.type === 'step' || e.type === 'manual').length, 0);
  });

  it('is left out of a --yes run, journaled as skipped, when the runbook marks it skippable', async () => {
    const { run, journal } = start(maintenanceRunbook(true));
    const [step] = run.steps;
    assert.ok(step !== undefined);
    const result = await run.runStep(step, recordOutput().out);
    assert.equal(result.status, 'skipped');
    assert.deepEqual(
      journal.filter((e) => e.type === 'manual').map((e) => e.type === 'manual' && e.outcome),
      ['skipped'],
    );
    assert.ok(journal.some((e) => e.type === 'step' && e.status === 'skipped'));
  });

  it('is not asked again when a resumed run finds it done', async () => {
    const { run, journal } = start(
      maintenanceRunbook(false),
      new Map([['maintenance-mode', { status: 'done', facts: {} }]]),
    );
    const confirmer = answering('no');
    const [step] = run.steps;
    assert.ok(step !== undefined);
    const result = await run.runStep(step, recordOutput().out, confirmer);
    assert.equal(result.status, 'done-before');
    assert.equal(confirmer.questions.length, 0);
    assert.equal(journal.filter((e) => e.type === 'manual').length, 0);
  });
});
