// Small measuring tools for the benchmarks: medians of repeated wall-clock runs.
import { spawnSync } from 'node:child_process';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Wall time of one run of a command, in milliseconds. */
export function timeCommand(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: 'ignore', env });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${String(result.status)}`);
  return elapsed;
}

/** Runs the commands in turn, `rounds` times, so machine noise falls on all of them alike. */
export function interleavedMedians(
  commands: ReadonlyArray<{
    readonly name: string;
    readonly command: string;
    readonly args: readonly string[];
  }>,
  rounds: number,
): Map<string, number> {
  const samples = new Map(commands.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (const c of commands) samples.get(c.name)?.push(timeCommand(c.command, c.args));
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}
