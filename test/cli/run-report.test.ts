// The final summary of a run: what changed, what was skipped and why, the warnings that mattered,
// and where the whole record is; read from the run's journal events, as the CLI prints it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JournalEvent } from '../../src/engine/journal-events.js';
import { outcomeOf } from '../../src/engine/run-outcome.js';
import { runReport } from '../../src/cli/run-report.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const plan = (step: string, title: string, warnings?: string[]): JournalEvent => ({
  type: 'plan',
  step,
  title,
  actions: [],
  waits: [],
  notes: [],
  ...(warnings === undefined ? {} : { warnings }),
  facts: {},
});
const done = (step: string, title: string): JournalEvent => ({
  type: 'action',
  step,
  index: 0,
  kind: 'k8s.scale',
  title,
  equivalent: 'kubectl scale',
  status: 'done',
});
const finished = (step: string, status: 'done' | 'nothing-to-do' | 'skipped'): JournalEvent => ({
  type: 'step',
  step,
  status,
  ms: 1,
});

const report = (events: JournalEvent[], runWarnings: string[] = []): string =>
  runReport({
    runbookId: 'postgres-remount',
    stepIds: ['locate', 'backup', 'down', 'up'],
    outcome: outcomeOf(events),
    seconds: 91.26,
    dryRun: false,
    runWarnings,
    runId: '20261203-0300-postgres-remount-ab12',
    previewed: [],
  }).join('\n');

describe('the final summary', () => {
  it('names each change by step, the skipped backup and why, the warnings, and the runbook log command', () => {
    const text = report(
      [
        plan('locate', 'Locate Postgres'),
        finished('locate', 'nothing-to-do'),
        plan('backup', 'Offer a backup', ['NO BACKUP: the operator skipped it']),
        { type: 'answer', step: 'backup', answer: 'skip' },
        finished('backup', 'skipped'),
        plan('down', 'Take Postgres down'),
        { type: 'answer', step: 'down', answer: 'yes' },
        done('down', 'scale deployment default/postgres from 1 to 0'),
        finished('down', 'done'),
        plan('up', 'Bring Postgres back'),
        done('up', 'scale deployment default/postgres from 0 to 1'),
        finished('up', 'done'),
        // An undo is not a step of its own.
        done('down:compensate', 'scale deployment default/postgres from 0 to 1'),
      ],
      [
        'The stale cluster lock of ana@laptop (postgres-remount, run r1) was taken over: make sure that run is dead.',
      ],
    );
    assert.equal(
      text,
      [
        '✔ postgres-remount finished in 91.3s. 2 steps changed something, 1 had nothing to change, 1 skipped.',
        '  Changed:',
        '    3. Take Postgres down: scale deployment default/postgres from 1 to 0',
        '    4. Bring Postgres back: scale deployment default/postgres from 0 to 1',
        '  Skipped:',
        '    2. Offer a backup: skipped by the operator',
        '  Warnings:',
        '    ! NO BACKUP: the operator skipped it',
        '    ! The stale cluster lock of ana@laptop (postgres-remount, run r1) was taken over: make sure that run is dead.',
        '  Run 20261203-0300-postgres-remount-ab12; its whole record: runbook log 20261203-0300-postgres-remount-ab12',
      ].join('\n'),
    );
  });

  it('says which steps a resumed run had finished before, and lists a long step’s changes within bounds', () => {
    const evictions = Array.from({ length: 12 }, (_, i) => done('down', `evict pod default/web-${i}`));
    const text = report([
      plan('locate', 'Locate Postgres'),
      done('locate', 'cordon node lke-1'),
      finished('locate', 'done'),
      { type: 'resume', operator: 'ana', host: 'laptop' },
      plan('down', 'Drain the node'),
      ...evictions,
      finished('down', 'done'),
    ]);
    assert.match(text, /1 finished before the resume/);
    assert.match(text, /^ {4}1\. Locate Postgres \(before the resume\): cordon node lke-1$/m);
    assert.match(text, /^ {4}3\. Drain the node: 12 changes$/m);
    assert.match(text, /^ {9}evict pod default\/web-7$/m);
    assert.doesNotMatch(text, /web-8/);
    assert.match(text, /^ {9}… and 4 more \(runbook log has them all\)$/m);
  });

  it('says a count of one in the singular: 1 step, 1 change', () => {
    const events: JournalEvent[] = [
      plan('down', 'Take Postgres down'),
      done('down', 'scale deployment default/postgres from 1 to 0'),
      finished('down', 'done'),
    ];
    assert.match(
      report(events),
      /finished in 91\.3s\. 1 step changed something, 0 had nothing to change\.$/m,
    );
    const dry = runReport({
      runbookId: 'node-uncordon',
      stepIds: ['down'],
      outcome: outcomeOf(events),
      seconds: 1,
      dryRun: true,
      runWarnings: [],
      runId: undefined,
      previewed: [],
    });
    assert.match(dry[0] ?? '', /Dry run: 1 of 1 step would change something;/);
  });

  it('a manual step left out by --yes says so', () => {
    const text = report([
      plan('backup', 'Put the site into maintenance'),
      { type: 'manual', step: 'backup', title: 'maintenance', outcome: 'skipped', operator: 'ana' },
      finished('backup', 'skipped'),
    ]);
    assert.match(
      text,
      /^ {4}2\. Put the site into maintenance: left out: a skippable manual step, and --yes has no one to do it$/m,
    );
  });
});

describe('the final summary of a run without a terminal', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  it('repeats --backup skip as a warning, names the changes and the run, and tells each wait without flooding', async () => {
    const result = await runCli(['postgres-remount', '--yes', '--backup', 'skip'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const summary = result.stdout.slice(result.stdout.indexOf('✔ postgres-remount finished'));
    assert.match(summary, /^ {2}Warnings:\n {4}! NO BACKUP: --backup skip$/m);
    assert.match(summary, /^ {4}6\. Bring Postgres back: scale deployment default\/postgres from 0 to 1$/m);
    const runId = /^ {2}run {6}(\S+)/m.exec(result.stdout)?.[1] ?? 'no run id';
    assert.ok(summary.includes(`runbook log ${runId}`), summary);
    // Each wait is told with its elapsed time and bound; an unchanged one is not repeated every tick.
    // Which reason the detach wait shows first depends on how far the simulator got by its first look.
    assert.match(
      result.stdout,
      /… waiting \d:\d\d of 5:00 — (until Linode reports volume pvc[0-9a-f]+ detached|volume pvc[0-9a-f]+ is still attached to Linode )/,
    );
    const told = result.stdout.split('\n').filter((line) => line.includes('… waiting '));
    assert.equal(new Set(told).size, told.length, told.join('\n'));
  });
});
