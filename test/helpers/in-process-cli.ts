// Runs the CLI inside the test's process (src/cli/main.ts), its output captured: for commands that
// only print. Apart from cli.ts (a separate process, the built CLI), so that tests importing that one
// do not load the whole CLI.
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `env` is all the environment the command sees, beside PATH. */
export async function runInProcess(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const code = await main(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: process.cwd(),
  });
  return { code, stdout: out, stderr: err };
}
