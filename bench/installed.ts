// Start-up of the copy a team installs (the packed tarball, in a scratch prefix and in a scratch ops
// repository), against `node -e 0`; and what `npx runbook` costs on every call against the bin itself,
// which is why the README calls the bin.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './measure.js';
import type { BenchResult } from './result.js';

function npm(args: readonly string[], cwd: string): string {
  const result = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

interface Timed {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
}

/** Medians of the commands run in turn, so machine noise falls on all of them alike. */
function medians(commands: readonly Timed[], rounds: number): Map<string, number> {
  const samples = new Map(commands.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (const c of commands) {
      const started = process.hrtime.bigint();
      const result = spawnSync(c.command, c.args, { cwd: c.cwd, stdio: 'ignore' });
      if (result.status !== 0)
        throw new Error(`${c.command} ${c.args.join(' ')} exited ${String(result.status)}`);
      samples.get(c.name)?.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

export function benchInstalled(root: string): BenchResult[] {
  const scratch = mkdtempSync(join(tmpdir(), 'runbook-bench-installed-'));
  const [packed] = JSON.parse(
    npm(['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], root),
  ) as Array<{ filename: string }>;
  const tarball = join(scratch, packed?.filename ?? 'runbook.tgz');
  const quiet = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
  const prefix = join(scratch, 'prefix');
  npm(['install', '--global', '--prefix', prefix, ...quiet, tarball], scratch);
  const ops = join(scratch, 'ops');
  mkdirSync(ops);
  writeFileSync(join(ops, 'package.json'), '{ "name": "ops", "private": true }\n');
  npm(['install', ...quiet, tarball], ops);

  const times = medians(
    [
      { name: 'node', command: process.execPath, args: ['-e', '0'], cwd: scratch },
      { name: 'installed', command: join(prefix, 'bin', 'runbook'), args: ['--help'], cwd: scratch },
      { name: 'bin', command: join(ops, 'node_modules', '.bin', 'runbook'), args: ['--help'], cwd: ops },
      { name: 'npx', command: 'npx', args: ['runbook', '--help'], cwd: ops },
    ],
    11,
  );
  const at = (name: string): number => times.get(name) ?? 0;
  const ms = (value: number): string => `${value.toFixed(0)} ms`;
  return [
    {
      name: 'installed copy (npm install -g of the packed tarball): runbook --help',
      value: `${ms(at('installed'))} (node -e 0: ${ms(at('node'))})`,
      ratio: at('installed') / at('node'),
      goal: '≤ 1.3× node -e 0',
      met: at('installed') / at('node') <= 1.3,
    },
    {
      name: 'in an ops repository (npm install of the tarball): ./node_modules/.bin/runbook --help vs npx runbook --help',
      value: `bin ${ms(at('bin'))}, npx ${ms(at('npx'))} (+${ms(at('npx') - at('bin'))} a call)`,
      ratio: at('bin') / at('npx'),
      goal: '≤ 0.5× npx (why the README calls the bin)',
      met: at('bin') / at('npx') <= 0.5,
      notes: [
        'Installed: the tarball `npm pack` writes, installed with `npm install -g --prefix <scratch>` and with `npm install <tarball>` in a scratch repository, each command run 11 times in turn; medians. The bin links start Node through `#!/usr/bin/env node`, as a user runs them.',
      ],
    },
  ];
}
