// What every page runbook writes shares: escaping (all text, all attributes), a page shell that can
// reach nothing outside itself (a Content-Security-Policy that forbids every fetch), and the styles
// for screen and print. No dependency: a page is a string.

/** Text or an attribute value, safe between tags and inside double or single quotes. */
export function esc(value: string | number): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A number for an SVG attribute: finite, two decimals at most. */
export const num = (value: number): string =>
  Number.isFinite(value) ? String(Math.round(value * 100) / 100) : '0';

/** HH:MM:SS of an ISO time (the journal's times are UTC). */
export const clock = (iso: string): string => iso.slice(11, 19);

/** A duration as a person says it: 850 ms, 12 s, 4 min 05 s, 2 h 03 min. */
export function duration(ms: number): string {
  if (ms < 1000) return `${String(Math.max(0, Math.round(ms)))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${String(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60)
    return s % 60 === 0 ? `${String(m)} min` : `${String(m)} min ${String(s % 60).padStart(2, '0')} s`;
  return m % 60 === 0
    ? `${String(m / 60)} h`
    : `${String(Math.floor(m / 60))} h ${String(m % 60).padStart(2, '0')} min`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --ok: #1a7f37;
  --bad: #cf222e; --warn: #9a6700; --bar: #0969da; --track: #eaeef2; --undo: #8250df; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 64rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .5rem;
  border-bottom: 1px solid var(--line); padding-bottom: .25rem; } h3 { font-size: 1.05rem; margin: 0; }
code { font: .85em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #f6f8fa; padding: 0 .25em;
  border-radius: 3px; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 1rem 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: 0 .45em; border-radius: 1em;
  border: 1px solid currentColor; vertical-align: middle; white-space: nowrap; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); } .muted { color: var(--muted); }
.undo { color: var(--undo); }
figure { margin: 1rem 0; } figcaption { color: var(--muted); font-size: .85rem; }
svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg text { fill: var(--ink); font-size: 12px; } svg .axis { stroke: var(--line); }
svg .tick text, svg text.muted { fill: var(--muted); }
ol.steps { list-style: none; padding: 0; margin: 0; }
li.step { border: 1px solid var(--line); border-left: 4px solid var(--bar); border-radius: 6px;
  padding: .75rem 1rem; margin: .75rem 0; break-inside: avoid; }
li.step.compensation { border-left-color: var(--undo); }
li.step.failed { border-left-color: var(--bad); }
li.step.skipped, li.step.nothing-to-do { border-left-color: var(--line); }
.step-head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; justify-content: space-between; }
.step-time { color: var(--muted); font-size: .85rem; }
ol.events { list-style: none; padding: 0; margin: .5rem 0 0; }
ol.events > li { display: grid; grid-template-columns: 5.5rem 1fr; gap: .75rem; padding: .2rem 0;
  border-top: 1px dashed var(--line); }
ol.events time { color: var(--muted); font-variant-numeric: tabular-nums; }
.change-diff { display: block; margin: .15rem 0; }
.change-diff del { text-decoration: none; background: #ffebe9; padding: 0 .2em; }
.change-diff ins { text-decoration: none; background: #dafbe1; padding: 0 .2em; }
.wait-bar-figure { margin: .25rem 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .2rem .5rem; text-align: left; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10.5pt; max-width: none; padding: 0; }
  h2 { break-after: avoid; } li.step, figure, table, tr { break-inside: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  code { background: none; border: 1px solid #ccc; }
}
`;

/** A whole page: nothing in it may load anything (no network, no CDN), everything is inline. */
export function page(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="runbook">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
