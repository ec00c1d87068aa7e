// `runbook train --history --output html`: per scenario, each trainee's time to recovery over their
// sessions, drawn against the postmortem's own time (a dashed line, or words where the postmortem
// does not say), with the same numbers in a table beneath. Shapes and words, not colour alone.
import { plural } from '../engine/plural.js';
import type { TrainingRecord } from '../training/progress.js';
import type { RealRecovery } from '../training/postmortem-durations.js';
import { duration, esc, num, page } from './html.js';

export interface HistoryHtmlOptions {
  /** The postmortem's night per scenario, where one is known. */
  readonly real: Readonly<Record<string, RealRecovery>>;
  readonly now?: Date;
}

/** Marker shapes in turn, so trainees differ by shape (and by their label), never by colour alone. */
const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;
const COLOURS = ['#0969da', '#8250df', '#bf3989', '#1a7f37', '#9a6700', '#57606a'];

function marker(
  shape: (typeof SHAPES)[number],
  x: number,
  y: number,
  colour: string,
  hollow: boolean,
): string {
  const paint = hollow ? `fill="#fff" stroke="${colour}" stroke-width="2"` : `fill="${colour}"`;
  switch (shape) {
    case 'circle':
      return `<circle cx="${num(x)}" cy="${num(y)}" r="5" ${paint}/>`;
    case 'square':
      return `<rect x="${num(x - 4.5)}" y="${num(y - 4.5)}" width="9" height="9" ${paint}/>`;
    case 'triangle':
      return `<path d="M${num(x)} ${num(y - 6)}L${num(x + 6)} ${num(y + 4.5)}L${num(x - 6)} ${num(y + 4.5)}Z" ${paint}/>`;
    case 'diamond':
      return `<path d="M${num(x)} ${num(y - 6)}L${num(x + 6)} ${num(y)}L${num(x)} ${num(y + 6)}L${num(x - 6)} ${num(y)}Z" ${paint}/>`;
  }
}

const minutes = (m: number): string => duration(m * 60_000);

/** Where the postmortem's time is drawn, and the words that go with it. */
function yardstick(real: RealRecovery | undefined): { minutes: number | undefined; words: string } {
  if (real === undefined) return { minutes: undefined, words: 'no postmortem to measure against' };
  if (real.minutes === undefined)
    return { minutes: undefined, words: `the postmortem does not record how long it took ("${real.quote}")` };
  return {
    minutes: real.minutes,
    words: `that night: ${real.bound ?? 'about'} ${minutes(real.minutes)} ("${real.quote}")`,
  };
}

const TICKS = [0.25, 0.5, 1, 2, 3, 5, 10, 15, 20, 30, 60, 90, 120, 180, 240, 360, 480, 720, 960, 1440, 2880];

/** Round times within [lo, hi] for a log axis, at most seven of them. */
function ticks(lo: number, hi: number): number[] {
  const within = TICKS.filter((t) => t >= lo && t <= hi);
  return within.length <= 7 ? within : within.filter((_, i) => i % 2 === 0);
}

/** A tick's label, short: 30 s, 5 min, 2 h. */
const tickLabel = (m: number): string =>
  m < 1 ? `${String(m * 60)} s` : m < 60 ? `${String(m)} min` : `${String(m / 60)} h`;

function chart(
  scenario: string,
  sessions: readonly TrainingRecord[],
  real: RealRecovery | undefined,
): string {
  const trainees = [...new Set(sessions.map((s) => s.trainee))];
  const stick = yardstick(real);
  const values = [
    ...sessions.map((s) => Math.max(s.minutes, 0.1)),
    ...(stick.minutes === undefined ? [] : [stick.minutes]),
  ];
  const lo = Math.min(...values) / 1.5;
  const hi = Math.max(...values) * 1.5;
  const left = 84;
  const plotWidth = 560;
  const legend = 220;
  const top = 16;
  const plotHeight = 220;
  const width = left + plotWidth + legend;
  const height = top + plotHeight + 44;
  const y = (m: number): number =>
    top +
    plotHeight -
    ((Math.log10(Math.max(m, 0.1)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotHeight;
  const x = (i: number): number =>
    left + 20 + (sessions.length <= 1 ? plotWidth / 2 - 20 : (i / (sessions.length - 1)) * (plotWidth - 40));
  const parts: string[] = [];
  for (const t of ticks(lo, hi))
    parts.push(
      `<g class="tick"><line class="axis" x1="${num(left)}" x2="${num(left + plotWidth)}" y1="${num(y(t))}" y2="${num(y(t))}"/>` +
        `<text x="${num(left - 6)}" y="${num(y(t) + 4)}" text-anchor="end">${esc(tickLabel(t))}</text></g>`,
    );
  parts.push(
    `<text x="${num(left + plotWidth / 2)}" y="${num(height - 6)}" text-anchor="middle" class="muted">sessions, oldest first</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${num(top + plotHeight / 2)}) rotate(-90)" text-anchor="middle" class="muted">time to recovery (log scale)</text>`,
  );
  sessions.forEach((s, i) =>
    parts.push(
      `<text x="${num(x(i))}" y="${num(top + plotHeight + 16)}" text-anchor="middle" class="muted">${esc(s.started.slice(5, 10))}</text>`,
    ),
  );
  if (stick.minutes !== undefined) {
    const at = y(stick.minutes);
    parts.push(
      `<g class="postmortem-line" role="img" aria-label="${esc(stick.words)}"><title>${esc(stick.words)}</title>` +
        `<line x1="${num(left)}" x2="${num(left + plotWidth)}" y1="${num(at)}" y2="${num(at)}" stroke="#cf222e" stroke-width="2" stroke-dasharray="8 4"/>` +
        `<text x="${num(left + plotWidth - 4)}" y="${num(at - 6)}" text-anchor="end">${esc(`postmortem: ${real?.bound ?? 'about'} ${minutes(stick.minutes)}`)}</text></g>`,
    );
  }
  trainees.forEach((trainee, n) => {
    const colour = COLOURS[n % COLOURS.length] ?? '#000';
    const shape = SHAPES[n % SHAPES.length] ?? 'circle';
    const own = sessions.map((s, i) => ({ s, i })).filter(({ s }) => s.trainee === trainee);
    const path = own.map(({ s, i }, k) => `${k === 0 ? 'M' : 'L'}${num(x(i))} ${num(y(s.minutes))}`).join('');
    parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    for (const { s, i } of own) {
      const said = `${trainee}, ${s.started.slice(0, 16).replace('T', ' ')}: ${s.recovered ? 'recovered in' : 'gave up after'} ${minutes(s.minutes)}`;
      parts.push(
        `<g class="session" data-trainee="${esc(trainee)}" data-minutes="${num(s.minutes)}" data-recovered="${String(s.recovered)}" role="listitem" aria-label="${esc(said)}"><title>${esc(said)}</title>` +
          `${marker(shape, x(i), y(s.minutes), colour, !s.recovered)}</g>`,
      );
    }
    const ly = top + 10 + n * 20;
    parts.push(
      `<g class="legend">${marker(shape, left + plotWidth + 20, ly, colour, false)}<text x="${num(left + plotWidth + 32)}" y="${num(ly + 4)}">${esc(trainee)}</text></g>`,
    );
  });
  const ly = top + 10 + trainees.length * 20 + 6;
  parts.push(
    `<g class="legend">${marker('circle', left + plotWidth + 20, ly, '#57606a', true)}<text x="${num(left + plotWidth + 32)}" y="${num(ly + 4)}">hollow: gave up</text></g>`,
  );
  return (
    `<figure><svg class="history-chart" data-scenario="${esc(scenario)}" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="list" aria-label="${esc(`Time to recovery per session for ${scenario}`)}">` +
    `${parts.join('')}</svg><figcaption>${esc(stick.words[0]?.toUpperCase() ?? '')}${esc(stick.words.slice(1))}.</figcaption></figure>`
  );
}

function table(sessions: readonly TrainingRecord[], real: RealRecovery | undefined): string {
  const against = (m: number): string => {
    if (real?.minutes === undefined) return 'not recorded';
    const ratio = m / real.minutes;
    const said = ratio < 1 ? `${String(Math.round(ratio * 100))}% of it` : `${ratio.toFixed(1)}× as long`;
    // Against a lower bound (the night lasted at least so long) a share is an upper bound.
    return real.bound === 'at least' ? `at most ${said}` : said;
  };
  const rows = sessions.map(
    (s) =>
      `<tr><td>${esc(s.started.slice(0, 16).replace('T', ' '))}</td><td>${esc(s.trainee)}</td>` +
      `<td>${s.recovered ? 'recovered' : 'gave up'}</td><td class="num">${esc(minutes(s.minutes))}</td>` +
      `<td>${esc(against(s.minutes))}</td><td class="num">${esc(String(s.changes))}</td><td>${esc(s.runbooks.join(', ') || 'none')}</td></tr>`,
  );
  return (
    '<table><thead><tr><th scope="col">Started (UTC)</th><th scope="col">Trainee</th><th scope="col">Outcome</th>' +
    '<th scope="col">Time</th><th scope="col">Against the night</th><th scope="col">Changes</th><th scope="col">Runbooks run</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function best(sessions: readonly TrainingRecord[]): string {
  const times = sessions.filter((s) => s.recovered).map((s) => s.minutes);
  return times.length === 0 ? 'none recovered yet' : `best: ${minutes(Math.min(...times))}`;
}

/** The page of every training kept, one chart and one table per scenario. */
export function renderHistoryHtml(records: readonly TrainingRecord[], options: HistoryHtmlOptions): string {
  const byScenario = new Map<string, TrainingRecord[]>();
  for (const r of [...records].sort((a, b) => a.started.localeCompare(b.started)))
    byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  const trainees = new Set(records.map((r) => r.trainee));
  const sections = [...byScenario.entries()].map(
    ([scenario, sessions]) =>
      `<section class="scenario" data-scenario="${esc(scenario)}" aria-labelledby="s-${esc(scenario)}"><h2 id="s-${esc(scenario)}">${esc(scenario)}</h2>` +
      `<p>${esc(plural(sessions.length, 'session'))}; ${esc(best(sessions))}.</p>` +
      chart(scenario, sessions, options.real[scenario]) +
      table(sessions, options.real[scenario]) +
      '</section>',
  );
  const body = [
    '<header><h1>Training: time to recovery</h1>',
    records.length === 0
      ? '<p>No training yet: <code>runbook train</code> starts one.</p>'
      : `<p>${esc(plural(records.length, 'session'))} by ${esc(plural(trainees.size, 'trainee'))} over ${esc(plural(byScenario.size, 'scenario'))}. Times are simulated minutes from the page to recovery, set against the time the postmortem gives for that night.</p>`,
    '</header>',
    `<main>${sections.join('\n')}</main>`,
    `<footer>Written by <code>runbook train --history --output html</code>${options.now === undefined ? '' : ` at ${esc(options.now.toISOString())}`}.</footer>`,
  ].join('\n');
  return page('runbook: training history', body);
}
