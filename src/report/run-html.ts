// `runbook log <id> --format html`: one run as a self-contained page: where it ran, the steps on a
// time axis, and per step what was planned, asked, changed (before → after), waited for (a bar
// against its bound), retried, undone and failed. Every word is in text, never in colour alone.
import type { JournalRecord } from '../engine/journal-events.js';
import { plural } from '../engine/plural.js';
import { clock, duration, esc, num, page } from './html.js';
import {
  type RunTimeline,
  type StepEntry,
  type StepEvent,
  type WaitBar,
  runTimeline,
} from './run-timeline.js';

export interface RunHtmlOptions {
  /** The runbook's title, when it is known (`runbook show` names it). */
  readonly runbookTitle?: string;
  /** When the page was written; the footer says it. */
  readonly now?: Date;
}

/** Parameter names whose values are never shown, even if a journal were written without redaction. */
const SECRET_NAME = /token|password|passwd|secret|credential|webhook|api[-_]?key|private/i;

const STATE_WORDS: Record<StepEntry['state'], { word: string; tone: string }> = {
  done: { word: 'done', tone: 'ok' },
  'nothing-to-do': { word: 'nothing to change', tone: 'muted' },
  skipped: { word: 'skipped', tone: 'warn' },
  failed: { word: 'failed', tone: 'bad' },
  unfinished: { word: 'not finished', tone: 'warn' },
};

const STATE_FILL: Record<StepEntry['state'], string> = {
  done: '#1a7f37',
  'nothing-to-do': '#8c959f',
  skipped: '#bf8700',
  failed: '#cf222e',
  unfinished: '#bf8700',
};

const badge = (word: string, tone: string): string => `<span class="badge ${tone}">${esc(word)}</span>`;
const time = (iso: string): string => `<time datetime="${esc(iso)}">${esc(clock(iso))}</time>`;

function outcomeOf(t: RunTimeline): { word: string; tone: string } {
  if (t.end === undefined) return { word: 'not finished (no end recorded)', tone: 'warn' };
  if (t.end.status === 'finished') return { word: 'finished', tone: 'ok' };
  return {
    word: `stopped: ${t.end.status}${t.end.signal === undefined ? '' : ` (${t.end.signal})`}`,
    tone: 'bad',
  };
}

function facts(t: RunTimeline): string {
  const s = t.start;
  const rows: Array<[string, string]> = [
    ['Run', `<code>${esc(s.runId)}</code>`],
    [
      'Runbook',
      `<code>${esc(s.runbook)}</code>${s.dryRun ? ` ${badge('dry run: nothing was changed', 'warn')}` : ''}`,
    ],
    ['Operator', `${esc(s.operator)} on ${esc(s.host)}`],
    ['Cluster context', `<code>${esc(s.cluster.context)}</code>`],
    ['API server', `<code>${esc(s.cluster.server)}</code>`],
    [
      'Linode API',
      `<code>${esc(s.linode.apiUrl)}</code>${s.linode.account === undefined ? '' : `, account ${esc(s.linode.account)}`}`,
    ],
  ];
  if (s.target.kubeconfig !== undefined)
    rows.push(['Kubeconfig', `<code>${esc(s.target.kubeconfig)}</code>`]);
  if (s.target.simulator !== undefined) rows.push(['Simulator', esc(s.target.simulator)]);
  rows.push(['Started', `${esc(s.time.slice(0, 10))} ${time(s.time)} UTC`]);
  for (const r of t.resumes)
    rows.push(['Resumed', `${time(r.time)} UTC by ${esc(r.operator)} on ${esc(r.host)}`]);
  rows.push([
    'Ended',
    t.end === undefined
      ? 'not recorded'
      : `${time(t.end.time)} UTC, after ${esc(duration(t.endMs - t.startMs))}`,
  ]);
  const params = Object.entries(s.params).filter((e): e is [string, string] => e[1] !== undefined);
  rows.push([
    'Parameters',
    params.length === 0
      ? 'none'
      : params
          .map(([k, v]) => `<code>--${esc(k)} ${esc(SECRET_NAME.test(k) && v !== '' ? '***' : v)}</code>`)
          .join(' '),
  ]);
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/** Round steps for a time axis: 1, 2, 5, 10 … seconds, minutes, hours. */
function tickStep(spanMs: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800].map(
    (s) => s * 1000,
  );
  return steps.find((s) => spanMs / s <= 8) ?? 86_400_000;
}

const shorten = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** The steps on the run's time axis: one labelled bar per step, its duration and state in words beside it. */
function overview(t: RunTimeline): string {
  if (t.steps.length === 0) return '<p>No step was planned.</p>';
  const label = 290;
  const barsWidth = 460;
  const right = 210;
  const row = 28;
  const top = 26;
  const width = label + barsWidth + right;
  const height = top + row * t.steps.length + 8;
  const span = Math.max(1000, t.endMs - t.startMs);
  const x = (at: number): number => label + ((at - t.startMs) / span) * barsWidth;
  const step = tickStep(span);
  const ticks: string[] = [];
  for (let at = 0; at <= span; at += step) {
    ticks.push(
      `<g class="tick"><line class="axis" x1="${num(x(t.startMs + at))}" x2="${num(x(t.startMs + at))}" y1="${num(top - 6)}" y2="${num(height - 4)}"/>` +
        `<text x="${num(x(t.startMs + at))}" y="14" text-anchor="middle">${esc(duration(at) === '0 ms' ? '0' : `+${duration(at)}`)}</text></g>`,
    );
  }
  const bars = t.steps.map((s, i) => {
    const y = top + i * row;
    const { word } = STATE_WORDS[s.state];
    const x0 = x(s.startMs);
    const w = Math.max(2, x(s.endMs) - x0);
    const name = `${String(i + 1)}. ${s.title}`;
    const said = `${name}: ${word}, ${duration(s.endMs - s.startMs)}`;
    return (
      `<g class="step-bar" data-step="${esc(s.id)}" role="listitem" aria-label="${esc(said)}"><title>${esc(said)}</title>` +
      `<text x="4" y="${num(y + 17)}">${esc(shorten(name, 44))}</text>` +
      `<rect x="${num(x0)}" y="${num(y + 5)}" width="${num(w)}" height="16" rx="2" fill="${STATE_FILL[s.state]}"${s.compensation ? ' stroke="#8250df" stroke-width="2"' : ''}/>` +
      `<text x="${num(label + barsWidth + 8)}" y="${num(y + 17)}" class="muted">${esc(`${duration(s.endMs - s.startMs)}, ${word}`)}</text></g>`
    );
  });
  return (
    `<figure><svg class="overview" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="list" aria-label="The steps on the run's time axis">` +
    `${ticks.join('')}${bars.join('')}</svg>` +
    `<figcaption>Each step as a bar from its first to its last record, on the run's clock (0 is ${esc(clock(t.start.time))} UTC). A purple outline marks an undo.</figcaption></figure>`
  );
}

/** How the run's words are to be read: waits timed on a simulator's clock; changes made on a dry run's twin. */
interface Telling {
  readonly simulated: boolean;
  readonly dryRun: boolean;
}

/** A wait as a bar: the track is its bound, the fill how long it took; the words say the same. */
function waitBar(w: WaitBar, index: number, { simulated }: Telling): string {
  const width = 600;
  const full = Math.max(w.ms, w.boundMs ?? w.ms, 1);
  const track = ((w.boundMs ?? w.ms) / full) * width;
  const fill = Math.max(2, (w.ms / full) * width);
  const words = `${w.outcome === 'met' ? 'met' : 'stuck'} after ${duration(w.ms)}${w.boundMs === undefined ? ' (no bound named)' : ` of at most ${duration(w.boundMs)}`}${simulated ? ' (simulated time)' : ''}`;
  return (
    `<figure class="wait-bar-figure"><svg class="wait-bar" data-wait="${String(index)}" data-outcome="${w.outcome}" viewBox="0 0 ${String(width)} 18" width="${String(width)}" height="18" role="img" aria-label="${esc(`${w.wait}: ${words}`)}">` +
    `<title>${esc(`${w.wait}: ${words}`)}</title>` +
    `<rect x="0" y="3" width="${num(track)}" height="12" rx="2" fill="#eaeef2" stroke="#8c959f" stroke-dasharray="4 2"/>` +
    `<rect x="0" y="3" width="${num(fill)}" height="12" rx="2" fill="${w.outcome === 'met' ? '#0969da' : '#cf222e'}"/>` +
    `</svg><figcaption>${badge(words, w.outcome === 'met' ? 'ok' : 'bad')} ${esc(w.wait)}: ${esc(w.detail)}</figcaption></figure>`
  );
}

function diff(before: string | undefined, after: string | undefined): string {
  if (before === undefined || after === undefined) return '';
  return `<span class="change-diff"><del>${esc(before)}</del> → <ins>${esc(after)}</ins></span>`;
}

const ANSWERS: Record<string, string> = {
  yes: 'answered yes',
  no: 'answered no: the run stopped',
  skip: 'answered skip',
  'wrong-name': 'typed a name that did not match: nothing was changed',
};

function event(e: StepEvent, waitIndex: () => number, telling: Telling): string {
  const li = (cls: string, body: string): string =>
    `<li class="${cls}">${time(e.time)}<div>${body}</div></li>`;
  switch (e.type) {
    case 'plan': {
      const notes = e.notes.map((n) => `<div>${esc(n)}</div>`).join('');
      const what =
        e.changes.length === 0
          ? 'Planned: nothing to change.'
          : `Planned ${plural(e.changes.length, 'change')}: ${e.changes
              .map((c) => `${esc(c.title)}${c.destructive ? ` ${badge('destructive', 'bad')}` : ''}`)
              .join('; ')}.`;
      return li('plan', `${what}${notes}`);
    }
    case 'answer':
      return li(
        `answer ${e.answer === 'yes' ? 'ok' : 'warn'}`,
        `Confirmation: <strong>${esc(e.who)}</strong> ${esc(ANSWERS[e.answer] ?? e.answer)}.`,
      );
    case 'manual':
      return li(
        'manual',
        e.outcome === 'confirmed'
          ? `Done by hand, confirmed by <strong>${esc(e.who)}</strong>: ${esc(e.title)}.`
          : `Left out (--yes, skippable): by hand: ${esc(e.title)}.`,
      );
    case 'replan':
      return li(
        'replan',
        `${badge(`retry ${String(e.attempt)}`, 'warn')} Did not ${esc(e.title)}: ${esc(e.reason)} Planned the step again.`,
      );
    case 'change': {
      const status =
        e.status === 'done'
          ? badge(telling.dryRun ? '✓ rehearsed on the twin' : '✓ changed', 'ok')
          : e.status === 'failed'
            ? badge('✗ failed', 'bad')
            : badge('○ not carried out (not previewable)', 'warn');
      return li(
        `change ${e.status}`,
        `${status} ${esc(e.change.title)}${e.change.destructive ? ` ${badge('destructive', 'bad')}` : ''}` +
          diff(e.change.before, e.change.after) +
          `<div><code>${esc(e.change.equivalent)}</code></div>` +
          (e.error === undefined ? '' : `<div class="bad">Fault: ${esc(e.error)}</div>`),
      );
    }
    case 'wait':
      return li('wait', waitBar(e, waitIndex(), telling));
    case 'waiting':
      return li('waiting', `Still waiting after ${esc(duration(e.ms))}: ${esc(e.why)}`);
    case 'verify':
      return li(
        `verify ${e.ok ? 'ok' : 'bad'}`,
        `${badge(e.ok ? '✓ checked' : '✗ check failed', e.ok ? 'ok' : 'bad')} ${esc(e.detail)}`,
      );
  }
}

function stepSection(s: StepEntry, position: number, waitIndex: () => number, telling: Telling): string {
  const { word, tone } = STATE_WORDS[s.state];
  return (
    `<li class="step ${s.state}${s.compensation ? ' compensation' : ''}" data-step="${esc(s.id)}">` +
    `<div class="step-head"><h3>${String(position)}. ${s.compensation ? `${badge('undo', 'undo')} ` : ''}${esc(s.title)}</h3>` +
    `<span>${badge(word, tone)} <span class="step-time">${esc(clock(new Date(s.startMs).toISOString()))}–${esc(clock(new Date(s.endMs).toISOString()))} UTC, ${esc(duration(s.endMs - s.startMs))}</span></span></div>` +
    `<ol class="events">${s.events.map((e) => event(e, waitIndex, telling)).join('')}</ol></li>`
  );
}

function ending(t: RunTimeline): string {
  if (t.end === undefined)
    return '<p class="warn">The journal has no end: the run is still going, or its process was killed. <code>runbook resume</code> continues it.</p>';
  const parts = [`<p>${time(t.end.time)} UTC: ${badge(outcomeOf(t).word, outcomeOf(t).tone)}</p>`];
  if (t.end.message !== undefined) parts.push(`<p>${esc(t.end.message)}</p>`);
  if (t.end.next !== undefined) parts.push(`<p><strong>Next:</strong> ${esc(t.end.next)}</p>`);
  return parts.join('');
}

/** The page of one run, from its journal's records (already redacted when written). */
export function renderRunHtml(records: readonly JournalRecord[], options: RunHtmlOptions = {}): string {
  const t = runTimeline(records);
  if (t === undefined)
    return page(
      'runbook: a journal without a start',
      '<h1>This journal has no start record</h1><p>Nothing to draw.</p>',
    );
  const outcome = outcomeOf(t);
  const name = options.runbookTitle ?? t.start.runbook;
  let waits = 0;
  const waitIndex = (): number => waits++;
  const telling: Telling = { simulated: t.start.target.simulator !== undefined, dryRun: t.start.dryRun };
  const body = [
    '<header>',
    `<h1>${esc(name)} ${badge(outcome.word, outcome.tone)}</h1>`,
    `<p>Run <code>${esc(t.start.runId)}</code> by ${esc(t.start.operator)} on <code>${esc(t.start.cluster.context)}</code>: ` +
      `${esc(plural(t.steps.filter((s) => !s.compensation).length, 'step'))}, ${esc(plural(t.changesDone, 'change'))} ${t.start.dryRun ? 'rehearsed on a twin of the cluster (none made)' : 'made'}, ` +
      `${esc(plural(t.faults, 'fault'))} or ${t.faults === 1 ? 'retry' : 'retries'}, in ${esc(duration(t.endMs - t.startMs))}.</p>`,
    '</header>',
    '<main>',
    '<section aria-labelledby="where"><h2 id="where">Where and by whom</h2>',
    facts(t),
    '</section>',
    '<section aria-labelledby="overview"><h2 id="overview">The run at a glance</h2>',
    overview(t),
    '</section>',
    '<section aria-labelledby="steps"><h2 id="steps">Step by step</h2>',
    `<ol class="steps">${t.steps.map((s, i) => stepSection(s, i + 1, waitIndex, telling)).join('')}</ol>`,
    '</section>',
    '<section aria-labelledby="end"><h2 id="end">How it ended</h2>',
    ending(t),
    '</section>',
    '</main>',
    `<footer>Written by <code>runbook log ${esc(t.start.runId)} --format html</code>${options.now === undefined ? '' : ` at ${esc(options.now.toISOString())}`} from the run's journal. Times are UTC.</footer>`,
  ].join('\n');
  return page(`${name}: run ${t.start.runId}`, body);
}
