#!/usr/bin/env node
import { main } from '../src/cli/main.js';
import { loadEnvironment } from '../src/cli/env.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: loadEnvironment(process.env, process.cwd()),
  cwd: process.cwd(),
});
