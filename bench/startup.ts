// Start-up: `runbook --help` and `runbook list` against `node -e 0`, side by side in one run.
import { join } from 'node:path';
import type { BenchResult } from './result.js';
import { interleavedMedians } from './measure.js';

export function benchStartup(root: string, rounds = 21): BenchResult[] {
  const bin = join(root, 'dist', 'bin', 'runbook.js');
  const medians = interleavedMedians(
    [
      { name: 'node', command: process.execPath, args: ['-e', '0'] },
      { name: 'help', command: process.execPath, args: [bin, '--help'] },
      { name: 'list', command: process.execPath, args: [bin, 'list'] },
    ],
    rounds,
  );
  const node = medians.get('node') ?? 1;
  const row = (name: string, label: string, goal: number): BenchResult => {
    const ms = medians.get(name) ?? 0;
    return {
      name: label,
      value: `${ms.toFixed(1)} ms (node -e 0: ${node.toFixed(1)} ms)`,
      ratio: ms / node,
      goal: `≤ ${goal}× node -e 0`,
      met: ms / node <= goal,
    };
  };
  return [row('help', 'runbook --help', 1.3), row('list', 'runbook list', 1.5)];
}
