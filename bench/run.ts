// `npm run bench`: every benchmark, written to BENCHMARKS.md with the machine, Node and date.
// `npm run bench -- drain scale`: only the benchmarks whose name contains one of the words, printed
// and not written (BENCHMARKS.md always holds one whole run).
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './result.js';
import { benchDrain } from './drain.js';
import { benchInstalled } from './installed.js';
import { benchRemount } from './remount.js';
import { benchRemountRealtime } from './remount-realtime.js';
import { benchScale } from './scale.js';
import { benchServeStorm } from './serve-storm.js';
import { benchSimThroughput } from './sim-throughput.js';
import { benchStartup } from './startup.js';
import { benchWaitLatency } from './wait-latency.js';

const root = join(import.meta.dirname, '..');

const BENCHMARKS: ReadonlyArray<
  readonly [string, () => BenchResult | BenchResult[] | Promise<BenchResult | BenchResult[]>]
> = [
  ['start-up', () => benchStartup(root)],
  ['installed start-up', () => benchInstalled(root)],
  ['wait latency', () => benchWaitLatency()],
  ['engine overhead', () => benchRemount(root)],
  ['real-time remount', () => benchRemountRealtime(root)],
  ['drain', () => benchDrain(root)],
  ['scale', () => benchScale(root)],
  ['simulator throughput', () => benchSimThroughput(root)],
  ['serve storm', () => benchServeStorm(root)],
];

function table(results: readonly BenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.value} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2)} | ${r.goal} | ${r.met ? 'met' : '**not met**'} |`,
  );
  return ['| benchmark | measured | ratio to goal | goal | |', '|---|---|---|---|---|', ...rows].join('\n');
}

const filters = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen = BENCHMARKS.filter(([name]) => filters.length === 0 || filters.some((f) => name.includes(f)));
if (chosen.length === 0) {
  process.stderr.write(
    `bench: nothing matches ${filters.join(', ')}; known: ${BENCHMARKS.map(([n]) => n).join(', ')}\n`,
  );
  process.exit(2);
}

const results: BenchResult[] = [];
for (const [name, run] of chosen) {
  process.stdout.write(`bench: ${name} …\n`);
  const produced = await run();
  results.push(...(Array.isArray(produced) ? produced : [produced]));
}

const notes = results.flatMap((r) => r.notes ?? []);
if (filters.length === 0) {
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
  const report = [
    '# Benchmarks',
    '',
    'Written by `npm run bench`; each figure is measured side by side with its yardstick in the same run.',
    'Ratios are measured ÷ goal (start-up: ÷ `node -e 0`; drain: ÷ `kubectl drain`; real-time remount: ÷ the',
    'waits the simulated infrastructure imposed); below 1 is better, except throughput and paging.',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${machine}`,
    `- node: ${process.version}`,
    '',
    table(results),
    '',
    ...notes.flatMap((note) => [`- ${note}`]),
    '',
  ].join('\n');
  writeFileSync(join(root, 'BENCHMARKS.md'), report);
}
process.stdout.write(`${table(results)}\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
