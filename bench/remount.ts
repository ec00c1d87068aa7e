// Engine overhead: postgres-remount end to end against the simulator at full speed (a separate
// process, as an operator runs it), median of several runs.
import { join } from 'node:path';
import type { BenchResult } from './result.js';
import { median, timeCommand } from './measure.js';

export function benchRemount(root: string, rounds = 5): BenchResult {
  const bin = join(root, 'dist', 'bin', 'runbook.js');
  const env = { ...process.env, RUNBOOK_STATE_DIR: join(root, '.tmp', 'bench-state') };
  const samples = Array.from({ length: rounds }, () =>
    timeCommand(process.execPath, [bin, 'postgres-remount', '--sim', '--speed', 'instant', '--yes'], env),
  );
  const ms = median(samples);
  return {
    name: 'postgres-remount --sim --speed instant --yes (whole process)',
    value: `${(ms / 1000).toFixed(2)} s`,
    ratio: ms / 2000,
    goal: '< 2 s',
    met: ms < 2000,
  };
}
