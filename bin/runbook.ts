#!/usr/bin/env node
import { main } from '../src/cli/main.js';
import { loadEnvironment } from '../src/cli/env.js';

let env: Record<string, string | undefined> | undefined;
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  // Read .env only for the commands that use the environment: `--help` and `list` stay light.
  get env() {
    env ??= loadEnvironment(process.env, process.cwd());
    return env;
  },
  cwd: process.cwd(),
});
