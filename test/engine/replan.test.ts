// Someone else changes what a step is about to change, between its plan and its act: the run does
// not overwrite them. It re-reads, plans the step again, asks again when the plan differs (a no
// leaves their change in place), and stops after a bounded number of re-plans. Real providers, the
// simulator over HTTP; the "someone else" is a second client, acting while the operator is asked.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { type ConfirmQuestion, type Confirmer, alwaysYes } from '../../src/engine/confirm.js';
import { RunbookError } from '../../src/engine/errors.js';
import type { JournalEvent } from '../../src/engine/journal-events.js';
import { resolveParams } from '../../src/engine/params.js';
import type { Readers, Writers } from '../../src/engine/ports.js';
import { MAX_REPLANS } from '../../src/engine/replan.js';
import { RunbookRun } from '../../src/engine/run.js';
import type { AnyRunbook } from '../../src/engine/runbook.js';
import { connectKube, createKubeReader, createKubeWriter } from '../../src/providers/kubernetes/index.js';
import type { KubeClients } from '../../src/providers/kubernetes/connect.js';
import { connectLinode, createLinodeReader, createLinodeWriter } from '../../src/providers/linode/index.js';
import { nodeUncordon } from '../../runbooks/node-uncordon.js';
import { postgresRemount } from '../../runbooks/postgres-remount.js';
import { recordOutput } from '../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const POSTGRES = { namespace: 'default', kind: 'Deployment', name: 'postgres' } as const;
const SCALE_PATH = '/apis/apps/v1/namespaces/default/deployments/postgres/scale';

interface World {
  h: SimHarness;
  read: Readers;
  write: Writers;
  /** A second operator's client, with its own connection. */
  other: Writers['kube'];
  otherClients: KubeClients;
}

async function connect(scenario: string): Promise<World> {
  const h = await startSimHarness(scenario);
  const env = h.env();
  const kube = await connectKube({ kubeconfig: h.kubeconfig, env });
  const otherClients = await connectKube({ kubeconfig: h.kubeconfig, env });
  const linode = await connectLinode({ env });
  return {
    h,
    read: { kube: createKubeReader(kube), linode: createLinodeReader(linode) },
    write: { kube: createKubeWriter(kube), linode: createLinodeWriter(linode) },
    other: createKubeWriter(otherClients),
    otherClients,
  };
}

/** Answers in turn, and lets the test act at the moment a step's question is on screen. */
function scriptedConfirmer(
  answers: Array<'yes' | 'no'>,
  onAsk: (question: ConfirmQuestion, count: number) => Promise<void> = () => Promise.resolve(),
): Confirmer & { questions: ConfirmQuestion[] } {
  const questions: ConfirmQuestion[] = [];
  return {
    questions,
    async ask(question) {
      questions.push(question);
      await onAsk(question, questions.length);
      return answers[questions.length - 1] ?? 'yes';
    },
    typeToConfirm: () => Promise.resolve(true),
  };
}

function startRun(
  w: World,
  runbook: AnyRunbook,
  given: Record<string, string>,
): { run: RunbookRun; journal: JournalEvent[] } {
  const journal: JournalEvent[] = [];
  const run = new RunbookRun({
    runbook,
    params: resolveParams(runbook.params, given),
    read: w.read,
    write: w.write,
    confirmer: alwaysYes,
    signal: new AbortController().signal,
    recorder: { record: (event) => journal.push(event) },
  });
  return { run, journal };
}

/** Runs steps up to and including `last`, whose questions `confirmer` answers (--yes before it). */
async function runUpTo(run: RunbookRun, last: string, confirmer: Confirmer): Promise<void> {
  const { out } = recordOutput();
  for (const step of run.steps) {
    await run.runStep(step, out, step.id === last ? confirmer : undefined);
    if (step.id === last) return;
  }
}

const replicas = (w: World): number | undefined =>
  w.h.get<{ spec: { replicas?: number } }>('apps/v1', 'Deployment', 'default', 'postgres')?.spec.replicas;

const acceptedScales = (w: World): number =>
  w.h.mutations().filter((r) => r.method === 'PATCH' && r.path === SCALE_PATH && r.status === 200).length;

const plansOf = (journal: readonly JournalEvent[], step: string) =>
  journal.filter((e): e is Extract<JournalEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step);

const replansOf = (journal: readonly JournalEvent[], step: string) =>
  journal.filter(
    (e): e is Extract<JournalEvent, { type: 'replan' }> => e.type === 'replan' && e.step === step,
  );

describe('a replica count changed between plan and act', () => {
  let w: World;
  beforeEach(async () => {
    w = await connect('2020-12-11-postgres-conn-surge');
  });
  afterEach(() => w.h.stop());

  /** While "Take Postgres down" is asked the first time, the other operator scales Postgres to `to`. */
  const meanwhileScaleTo = (to: number) => async (question: ConfirmQuestion, count: number) => {
    if (count === 1 && question.stepTitle === 'Take Postgres down') await w.other.scale(POSTGRES, to);
  };

  it('is re-read and planned again, asked again since the plan differs, and a no leaves their change', async () => {
    const confirmer = scriptedConfirmer(['yes', 'no'], meanwhileScaleTo(2));
    const { run, journal } = startRun(w, postgresRemount, { backup: 'skip' });
    await assert.rejects(
      runUpTo(run, 'take-down', confirmer),
      (e: unknown) => e instanceof RunbookError && e.code === 'declined',
    );
    assert.deepEqual(
      confirmer.questions.map((q) => q.actions.map((a) => a.title)),
      [['scale deployment default/postgres from 1 to 0'], ['scale deployment default/postgres from 2 to 0']],
    );
    const [replan] = replansOf(journal, 'take-down');
    assert.equal(replan?.attempt, 1);
    assert.match(replan?.reason ?? '', /has 2 replicas now, not the 1 the plan read/);
    assert.equal(plansOf(journal, 'take-down').length, 2);
    assert.equal(replicas(w), 2, 'the other operator’s change stands');
    assert.equal(acceptedScales(w), 1, 'only theirs: nothing of ours was written');
  });

  it('a yes to the new plan scales from what is there now', async () => {
    const confirmer = scriptedConfirmer(['yes', 'yes'], meanwhileScaleTo(2));
    const { run, journal } = startRun(w, postgresRemount, { backup: 'skip' });
    await runUpTo(run, 'take-down', confirmer);
    assert.equal(confirmer.questions.length, 2);
    assert.equal(replansOf(journal, 'take-down').length, 1);
    assert.equal(run.results.at(-1)?.status, 'done');
    assert.equal(replicas(w), 0);
    assert.equal(acceptedScales(w), 2, 'theirs, then ours once');
  });

  it('already done by someone else: the new plan has nothing to do, and nothing is sent', async () => {
    const confirmer = scriptedConfirmer(['yes'], meanwhileScaleTo(0));
    const { run, journal } = startRun(w, postgresRemount, { backup: 'skip' });
    await runUpTo(run, 'take-down', confirmer);
    assert.equal(confirmer.questions.length, 1, 'nothing left to ask');
    assert.equal(replansOf(journal, 'take-down').length, 1);
    assert.deepEqual(plansOf(journal, 'take-down').at(-1)?.actions, []);
    assert.equal(run.results.at(-1)?.status, 'nothing-to-do');
    assert.equal(acceptedScales(w), 1, 'only theirs');
    assert.equal(replicas(w), 0);
  });
});

describe('409 Conflict from the API server', () => {
  let w: World;
  beforeEach(async () => {
    w = await connect('2020-12-11-postgres-conn-surge');
  });
  afterEach(() => w.h.stop());

  it('the simulator answers a patch with a stale resourceVersion 409 Conflict, as a real server does', async () => {
    const { apps, lib } = w.otherClients;
    const scale = await apps.readNamespacedDeploymentScale({ name: 'postgres', namespace: 'default' });
    const mergePatch = lib.setHeaderOptions('Content-Type', lib.PatchStrategy.MergePatch);
    // Someone writes the deployment (an annotation: no pod changes) after the scale was read.
    await apps.patchNamespacedDeployment(
      {
        name: 'postgres',
        namespace: 'default',
        body: { metadata: { annotations: { 'example.com/touched-by': 'someone else' } } },
      },
      mergePatch,
    );
    const stale = { metadata: { resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: 3 } };
    await assert.rejects(
      apps.patchNamespacedDeploymentScale(
        { name: 'postgres', namespace: 'default', body: stale },
        mergePatch,
      ),
      (e: unknown) => {
        const { code, body } = e as { code: number; body: unknown };
        const status = (typeof body === 'string' ? JSON.parse(body) : body) as {
          kind: string;
          reason: string;
          message: string;
        };
        return (
          code === 409 &&
          status.kind === 'Status' &&
          status.reason === 'Conflict' &&
          /the object has been modified/.test(status.message)
        );
      },
    );
    assert.equal(replicas(w), 1);
  });

  it('one 409 on the write: re-read, the same plan, not asked again, written once', async () => {
    w.h.sim.world.faults.add({ kind: 'conflict-once', method: 'PATCH', pathPattern: `^${SCALE_PATH}$` });
    const confirmer = scriptedConfirmer(['yes']);
    const { run, journal } = startRun(w, postgresRemount, { backup: 'skip' });
    await runUpTo(run, 'take-down', confirmer);
    assert.equal(confirmer.questions.length, 1);
    const [replan] = replansOf(journal, 'take-down');
    assert.match(replan?.reason ?? '', /changed between reading its scale and writing it \(409 Conflict\)/);
    const writes = w.h.mutations().filter((r) => r.method === 'PATCH' && r.path === SCALE_PATH);
    assert.deepEqual(
      writes.slice(-2).map((r) => r.status),
      [409, 200],
    );
    assert.equal(replicas(w), 0);
  });

  it('a conflict every time: planned again at most MAX_REPLANS times, then the step stops', async () => {
    const fault = {
      kind: 'api-error',
      api: 'kubernetes',
      method: 'PATCH',
      pathPattern: `^${SCALE_PATH}$`,
      status: 409,
      rate: 1,
    } as const;
    w.h.sim.world.faults.add(fault);
    const before = w.h.sim.requests.length;
    const confirmer = scriptedConfirmer([]);
    const { run, journal } = startRun(w, postgresRemount, { backup: 'skip' });
    await assert.rejects(
      runUpTo(run, 'take-down', confirmer),
      (e: unknown) =>
        e instanceof RunbookError &&
        e.code === 'step-failed' &&
        /kept changing under it \(planned 4 times\)/.test(e.message),
    );
    w.h.sim.world.faults.remove(fault);
    assert.equal(replansOf(journal, 'take-down').length, MAX_REPLANS);
    const writes = w.h.sim.requests
      .slice(before)
      .filter((r) => r.method === 'PATCH' && r.path === SCALE_PATH);
    assert.equal(
      writes.length,
      MAX_REPLANS + 1,
      'a 409 is never retried as such: each try follows a re-read',
    );
    assert.equal(replicas(w), 1);
  });
});

describe('a node cordoned or uncordoned by someone else meanwhile', () => {
  let w: World;
  let node: string;
  before(async () => {
    w = await connect('healthy');
    node = w.h.sim.world.kube.list('v1', 'Node')[0]?.metadata.name ?? '';
  });
  after(() => w.h.stop());

  it('uncordon: the other operator got there first; the re-plan has nothing to do', async () => {
    await w.other.cordon(node, true);
    const confirmer = scriptedConfirmer(['yes'], async () => w.other.cordon(node, false));
    const { run, journal } = startRun(w, nodeUncordon, { node });
    await runUpTo(run, 'uncordon', confirmer);
    const [replan] = replansOf(journal, 'uncordon');
    assert.match(replan?.reason ?? '', new RegExp(`Node ${node} is already schedulable`));
    assert.equal(run.results.at(-1)?.status, 'nothing-to-do');
    const patches = w.h.mutations().filter((r) => r.method === 'PATCH' && r.path === `/api/v1/nodes/${node}`);
    assert.equal(patches.length, 2, 'their cordon and their uncordon; none of ours');
  });

  it('uncordon: one 409 on the node patch, planned again and written once', async () => {
    await w.other.cordon(node, true);
    w.h.sim.world.faults.add({
      kind: 'conflict-once',
      method: 'PATCH',
      pathPattern: `^/api/v1/nodes/${node}$`,
    });
    const before = w.h.sim.requests.length;
    const confirmer = scriptedConfirmer(['yes']);
    const { run, journal } = startRun(w, nodeUncordon, { node });
    await runUpTo(run, 'uncordon', confirmer);
    assert.match(replansOf(journal, 'uncordon')[0]?.reason ?? '', /409 Conflict/);
    assert.equal(confirmer.questions.length, 1);
    const patches = w.h.sim.requests
      .slice(before)
      .filter((r) => r.method === 'PATCH' && r.path === `/api/v1/nodes/${node}`);
    assert.deepEqual(
      patches.map((r) => r.status),
      [409, 200],
    );
    assert.equal(
      w.h.get<{ spec: { unschedulable?: boolean } }>('v1', 'Node', undefined, node)?.spec.unschedulable ??
        false,
      false,
    );
  });
});
