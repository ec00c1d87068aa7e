// `npm run bench`: every benchmark, written to BENCHMARKS.md with the machine, Node and date.
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from './result.js';
import { benchRemount } from './remount.js';
import { benchSimThroughput } from './sim-throughput.js';
import { benchStartup } from './startup.js';
import { benchWaitLatency } from './wait-latency.js';

const root = join(import.meta.dirname, '..');

function table(results: readonly BenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.value} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2)} | ${r.goal} | ${r.met ? 'met' : '**not met**'} |`,
  );
  return ['| benchmark | measured | ratio to goal | goal | |', '|---|---|---|---|---|', ...rows].join('\n');
}

const results: BenchResult[] = [];
for (const [name, run] of [
  ['start-up', () => benchStartup(root)],
  ['wait latency', () => benchWaitLatency()],
  ['engine overhead', () => benchRemount(root)],
  ['simulator throughput', () => benchSimThroughput(root)],
] as const) {
  process.stdout.write(`bench: ${name} …\n`);
  const produced = await run();
  results.push(...(Array.isArray(produced) ? produced : [produced]));
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`;
const report = [
  '# Benchmarks',
  '',
  'Written by `npm run bench`; each figure is measured side by side with its yardstick in the same run.',
  'Ratios are measured ÷ goal (start-up: ÷ `node -e 0`); below 1 is better, except throughput.',
  '',
  `- date: ${new Date().toISOString()}`,
  `- machine: ${machine}`,
  `- node: ${process.version}`,
  '',
  table(results),
  '',
  'Not measured yet: drain at scale against `kubectl drain` and the 100-node, 5,000-pod cluster (they need',
  'the node-drain runbook), and the real-time remount against the sum of the simulated waits.',
  '',
].join('\n');
writeFileSync(join(root, 'BENCHMARKS.md'), report);
process.stdout.write(`${table(results)}\n`);
