// One child process run to the end without blocking this event loop (an in-process simulator keeps
// serving it meanwhile): wall time, exit code, output and, through /usr/bin/time, its peak memory.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Finished {
  readonly ms: number;
  readonly code: number | null;
  readonly output: string;
  /** Peak resident set size of the command, in KiB (GNU time's %M), when measured. */
  readonly maxRssKb: number | undefined;
}

const GNU_TIME = '/usr/bin/time';
const RSS_MARK = 'bench-max-rss-kb=';

export function runCommand(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; measureRss?: boolean } = {},
): Promise<Finished> {
  const rss = options.measureRss === true && existsSync(GNU_TIME);
  const [file, argv] = rss ? [GNU_TIME, ['-f', `${RSS_MARK}%M`, command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      const mark = new RegExp(`${RSS_MARK}(\\d+)`).exec(output);
      resolve({
        ms,
        code,
        output: output.replace(new RegExp(`${RSS_MARK}\\d+\\n?`), ''),
        maxRssKb: mark?.[1] === undefined ? undefined : Number(mark[1]),
      });
    });
  });
}
