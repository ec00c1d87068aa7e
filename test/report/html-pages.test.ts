// The pages' text, from a journal and a training history written to provoke them: every value is
// escaped, a secret-named parameter is never shown, and each part of a night (confirmations with who,
// changes before → after, retries, faults, undos, waits against their bounds) is told in words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JournalRecord } from '../../src/engine/journal-events.js';
import { renderHistoryHtml } from '../../src/report/history-html.js';
import { renderRunHtml } from '../../src/report/run-html.js';
import { runTimeline } from '../../src/report/run-timeline.js';
import { REAL_RECOVERY } from '../../src/training/postmortem-durations.js';
import { trainingSession } from '../helpers/training-history.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const at = (s: number): string => new Date(Date.UTC(2026, 11, 3, 3, 0, s)).toISOString();

const JOURNAL: JournalRecord[] = [
  {
    time: at(0),
    type: 'start',
    runId: '20261203-030000-postgres-remount-abcd',
    runbook: 'postgres-remount',
    params: { namespace: `default${HOSTILE}`, 'linode-token': 'planted-token-4471', deployment: 'postgres' },
    operator: 'alice',
    host: 'laptop',
    cluster: { context: 'lke-prod', server: 'https://lke.example:6443' },
    linode: { apiUrl: 'https://api.linode.example/v4', account: 'team' },
    target: { kubeconfig: '/home/alice/.kube/config' },
    dryRun: false,
  },
  {
    time: at(1),
    type: 'plan',
    step: 'scale-down',
    title: `Take Postgres down ${HOSTILE}`,
    actions: [
      {
        kind: 'k8s.scale',
        title: 'scale deployment default/postgres from 1 to 0',
        equivalent: 'kubectl -n default scale deployment/postgres --replicas=0',
        before: '1 replica',
        after: '0 replicas',
        destructive: false,
      },
    ],
    waits: ['wait until no pod matches app=postgres (at most 180s)'],
    notes: [],
    facts: {},
  },
  { time: at(3), type: 'answer', step: 'scale-down', answer: 'yes' },
  {
    time: at(4),
    type: 'replan',
    step: 'scale-down',
    attempt: 1,
    title: 'scale deployment default/postgres from 1 to 0',
    reason: 'deployment default/postgres changed since the plan.',
  },
  {
    time: at(5),
    type: 'action',
    step: 'scale-down',
    index: 0,
    kind: 'k8s.scale',
    title: 'scale deployment default/postgres from 1 to 0',
    equivalent: 'kubectl -n default scale deployment/postgres --replicas=0',
    status: 'done',
  },
  {
    time: at(25),
    type: 'wait',
    step: 'scale-down',
    wait: 'wait until no pod matches app=postgres (at most 180s)',
    outcome: 'met',
    detail: 'no pod matches app=postgres',
    ms: 20_000,
  },
  { time: at(25), type: 'step', step: 'scale-down', status: 'done', ms: 24_000 },
  {
    time: at(26),
    type: 'plan',
    step: 'detach',
    title: 'Detach the volume at Linode',
    actions: [
      {
        kind: 'linode.volume.detach',
        title: 'detach Linode volume pvc1 (11) from node-a',
        equivalent: 'POST /v4/volumes/11/detach',
        before: 'attached to node-a',
        after: 'detached',
        destructive: true,
      },
    ],
    waits: [],
    notes: [],
    facts: {},
  },
  { time: at(27), type: 'answer', step: 'detach', answer: 'yes' },
  {
    time: at(28),
    type: 'action',
    step: 'detach',
    index: 0,
    kind: 'linode.volume.detach',
    title: 'detach Linode volume pvc1 (11) from node-a',
    equivalent: 'POST /v4/volumes/11/detach',
    status: 'failed',
    error: `Linode answered 500 ${HOSTILE}`,
  },
  {
    time: at(30),
    type: 'plan',
    step: 'scale-down:compensate',
    title: 'Undo: Take Postgres down',
    actions: [
      {
        kind: 'k8s.scale',
        title: 'scale deployment default/postgres from 0 to 1',
        equivalent: 'kubectl -n default scale deployment/postgres --replicas=1',
        before: '0 replicas',
        after: '1 replica',
        destructive: false,
      },
    ],
    waits: [],
    notes: [],
    facts: {},
  },
  { time: at(31), type: 'answer', step: 'scale-down:compensate', answer: 'yes' },
  {
    time: at(32),
    type: 'action',
    step: 'scale-down:compensate',
    index: 0,
    kind: 'k8s.scale',
    title: 'scale deployment default/postgres from 0 to 1',
    equivalent: 'kubectl -n default scale deployment/postgres --replicas=1',
    status: 'done',
  },
  {
    time: at(33),
    type: 'end',
    status: 'step-failed',
    message: 'Step "Detach the volume at Linode" failed to detach Linode volume pvc1 (11).',
    next: 'Nothing after this action ran.',
  },
];

/** The page as text: tags dropped, entities read back (what a browser would show, give or take spaces). */
const text = (html: string): string =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('the page of a run', () => {
  const html = renderRunHtml(JOURNAL, { runbookTitle: 'Remount Postgres' });
  const shown = text(html);

  it('escapes every value: a tag in the journal is shown as text, never made an element', () => {
    assert.doesNotMatch(html, /<img/);
    assert.ok(shown.includes(`Take Postgres down ${HOSTILE}`), 'the title is shown as written');
    assert.ok(shown.includes(`--namespace default${HOSTILE}`));
  });

  it('never shows a secret-named parameter, even from a journal written without redaction', () => {
    assert.ok(!html.includes('planted-token-4471'));
    assert.ok(shown.includes('--linode-token ***'));
  });

  it('loads nothing: no script, no link, no source or URL to fetch; a policy forbids it', () => {
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/,
    );
    // The tags alone, their quoted values emptied (an aria-label may quote a title): that is the markup.
    const tags = (html.replace(/"[^"]*"/g, '""').match(/<[^>]*>/g) ?? []).join('\n');
    assert.doesNotMatch(tags, /^<(script|link|iframe|img|object|embed)\b|\s(src|href|xlink:href)=/im);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    assert.doesNotMatch(style, /url\(|@import/);
  });

  it('tells the night in words: context, confirmations with who and when, before → after, retries, faults, the undo', () => {
    for (const said of [
      'Cluster context lke-prod',
      'API server https://lke.example:6443',
      '03:00:03 Confirmation: alice answered yes.',
      '1 replica → 0 replicas',
      'retry 1 Did not scale deployment default/postgres from 1 to 0: deployment default/postgres changed since the plan.',
      `✗ failed detach Linode volume pvc1 (11) from node-a destructive attached to node-a → detached`,
      `Fault: Linode answered 500 ${HOSTILE}`,
      '3. undo Undo: Take Postgres down',
      'Next: Nothing after this action ran.',
      'met after 20 s of at most 3 min',
    ])
      assert.ok(shown.includes(said), `not shown: ${said}\n${shown}`);
  });

  it('draws each step on the time axis and each wait as a bar against its bound', () => {
    assert.equal((html.match(/class="step-bar"/g) ?? []).length, 3);
    assert.equal((html.match(/class="wait-bar"/g) ?? []).length, 1);
    const timeline = runTimeline(JOURNAL);
    assert.deepEqual(
      timeline?.steps.map((s) => [s.id, s.state]),
      [
        ['scale-down', 'done'],
        ['detach', 'failed'],
        ['scale-down:compensate', 'done'],
      ],
    );
    assert.equal(timeline?.steps[0]?.waits[0]?.boundMs, 180_000);
  });
});

describe('the page of a dry run', () => {
  it('says its changes were rehearsed on the twin, never made', () => {
    const dry = JOURNAL.map((r) => (r.type === 'start' ? { ...r, dryRun: true } : r));
    const shown = text(renderRunHtml(dry));
    assert.ok(shown.includes('dry run: nothing was changed'));
    assert.ok(shown.includes('2 changes rehearsed on a twin of the cluster (none made)'), shown);
    assert.ok(shown.includes('✓ rehearsed on the twin scale deployment default/postgres from 1 to 0'));
    assert.ok(!shown.includes('✓ changed'));
  });
});

describe('the page of the training history', () => {
  const records = [
    trainingSession('alice', '2021-01-10-primary-kubernetes-node-outage', 2, 41, false),
    trainingSession(HOSTILE, '2021-01-10-primary-kubernetes-node-outage', 3, 18),
    trainingSession('alice', '2021-01-10-primary-kubernetes-node-outage', 9, 12),
    trainingSession('alice', '2020-12-11-postgres-conn-surge', 4, 6),
  ];
  const html = renderHistoryHtml(records, { real: REAL_RECOVERY });
  const shown = text(html);

  it('draws one marker per session in each scenario, and the postmortem time as a line where it is recorded', () => {
    const sections = html.split('<section').slice(1);
    assert.equal(sections.length, 2);
    assert.equal((sections[0]?.match(/class="session"/g) ?? []).length, 3);
    assert.match(sections[0] ?? '', /class="postmortem-line"/);
    assert.equal((sections[1]?.match(/class="session"/g) ?? []).length, 1);
    assert.doesNotMatch(sections[1] ?? '', /class="postmortem-line"/);
    assert.ok(shown.includes('The postmortem does not record how long it took'));
    assert.ok(shown.includes('postmortem: about 26 min'));
  });

  it('says in words who gave up, and how each time compares with the night', () => {
    assert.ok(shown.includes('alice recovered 12 min 46% of it'), shown);
    assert.ok(shown.includes('alice gave up 41 min 1.6× as long'), shown);
    assert.doesNotMatch(html, /<img/);
  });

  it('with no training yet, says how to start one', () => {
    assert.ok(
      text(renderHistoryHtml([], { real: REAL_RECOVERY })).includes(
        'No training yet: runbook train starts one.',
      ),
    );
  });
});
