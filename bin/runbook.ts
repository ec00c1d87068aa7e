#!/usr/bin/env node
// The entry point. `runbook list` and `runbook --help` are what people type to find their way at
// 3 a.m.: their output depends only on this build, so the build writes it (dist/help.txt,
// dist/list.txt) and they print it without loading commander, the runbooks or any provider.
import { existsSync, readFileSync } from 'node:fs';
import { loadEnvironment } from '../src/cli/env.js';
import type { Io } from '../src/cli/io.js';

const argv = process.argv.slice(2);
const cached = (name: string): URL => new URL(`../${name}.txt`, import.meta.url);

let env: Record<string, string | undefined> | undefined;
const io: Io = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd: process.cwd(),
  // Read .env only for the commands that use the environment.
  get env() {
    env ??= loadEnvironment(process.env, process.cwd());
    return env;
  },
};

// A reader that goes away (`runbook history | head -1`) is not an error. A run stops at its next
// action boundary as if its terminal had closed (it listens for SIGHUP); anything else just ends.
let outputClosed = false;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (outputClosed) return;
    outputClosed = true;
    if (process.listenerCount('SIGHUP') > 0) process.emit('SIGHUP', 'SIGHUP');
    else process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

async function run(): Promise<number> {
  const askedForHelp = argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h'));
  const staticOutput = askedForHelp ? 'help' : argv.length === 1 && argv[0] === 'list' ? 'list' : undefined;
  // A team's runbooks folder (named in runbook.config.yaml) adds to the list: no cached list then.
  const teamMayAdd =
    staticOutput === 'list' &&
    (await import('../src/config/discover.js')).discoverConfig(process.cwd(), process.env) !== undefined;
  if (
    staticOutput !== undefined &&
    !teamMayAdd &&
    process.env.RUNBOOK_STATIC_CACHE !== 'off' &&
    existsSync(cached(staticOutput))
  ) {
    process.stdout.write(readFileSync(cached(staticOutput), 'utf8'));
    return 0;
  }
  const { main } = await import('../src/cli/main.js');
  return main(argv, io);
}

process.exitCode = await run();
