// What `runbook --help` tells a new on-call hand: the commands in groups, an example per runbook,
// the exit codes (from the one map); a mistyped name gets "did you mean"; `version` names what runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUNBOOKS } from '../../runbooks/index.js';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { runCli } from '../helpers/cli.js';

describe('runbook --help', () => {
  it('groups the commands: Incident, Rehearsal and training, Runs, Setup', async () => {
    const { stdout, exitCode } = await runCli(['--help']);
    assert.equal(exitCode, 0);
    const headings = [...stdout.matchAll(/^(\S[^:\n]*):$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, [
      'Options',
      'Incident',
      'Rehearsal and training',
      'Runs',
      'Setup',
      'Examples (--dry-run changes nothing; --sim rehearses on a simulated cluster)',
      'Exit codes',
    ]);
    const group = (name: string): string => stdout.split(`\n${name}:\n`)[1]?.split('\n\n')[0] ?? '';
    for (const runbook of RUNBOOKS) assert.match(group('Incident'), new RegExp(`^  ${runbook.id} `, 'm'));
    assert.match(group('Rehearsal and training'), /^ {2}train /m);
    assert.match(group('Runs'), /^ {2}resume /m);
    assert.match(group('Setup'), /^ {2}completion /m);
  });

  it('gives an example for each runbook, with its required parameters', async () => {
    const { stdout } = await runCli(['--help']);
    for (const runbook of RUNBOOKS)
      assert.match(stdout, new RegExp(`^ {2}runbook ${runbook.id}\\b.* --dry-run`, 'm'));
    assert.match(stdout, /^ {2}runbook node-drain --node <name> --dry-run$/m);
    const own = await runCli(['node-drain', '--help']);
    assert.match(own.stdout, /Examples:\n {2}runbook node-drain --node <name> --sim +# rehearse/);
    assert.match(own.stdout, /-o, --output <format>/);
  });

  it('lists every exit code of the map, each with its meaning', async () => {
    const { stdout } = await runCli(['--help']);
    const listed = [...(stdout.split('\nExit codes:\n')[1] ?? '').matchAll(/^ +(\d+) {2}\S/gm)].map((m) =>
      Number(m[1]),
    );
    assert.deepEqual(
      listed,
      [...new Set(Object.values(EXIT_CODES))].sort((a, b) => a - b),
    );
  });

  it('a command of commands given alone shows its help, as a usage error', async () => {
    const result = await runCli(['sim']);
    assert.equal(result.exitCode, EXIT_CODES.usage);
    assert.match(result.stderr, /^ {2}start \[options\]/m);
    assert.doesNotMatch(result.stderr, /outputHelp/);
  });

  it('names the namespace with -n where a runbook takes one', async () => {
    const { stdout } = await runCli(['postgres-remount', '--help']);
    assert.match(stdout, /-n, --namespace <name>/);
    assert.match(stdout, /--context <name>/);
    assert.match(stdout, /--kubeconfig <file>/);
  });
});

describe('did you mean', () => {
  it('suggests the runbook for a mistyped one, with the usage exit code', async () => {
    const result = await runCli(['postgres-remont']);
    assert.equal(result.exitCode, EXIT_CODES.usage);
    assert.match(result.stderr, /There is no runbook or command called "postgres-remont"\./);
    assert.match(result.stderr, /Did you mean `postgres-remount`\?/);
  });

  it('suggests the command, the runbook of show, and the flag', async () => {
    const command = await runCli(['hsitory']);
    assert.equal(command.exitCode, EXIT_CODES.usage);
    assert.match(command.stderr, /Did you mean `history`\?/);
    const shown = await runCli(['show', 'node-dran']);
    assert.equal(shown.exitCode, EXIT_CODES.usage);
    assert.match(shown.stderr, /Did you mean `node-drain`\?/);
    const flag = await runCli(['node-drain', '--dryrun']);
    assert.equal(flag.exitCode, EXIT_CODES.usage);
    assert.match(flag.stderr, /Did you mean `--dry-run`\?/);
  });

  it('suggests the scenario for a mistyped one', async () => {
    for (const args of [
      ['sim', 'start', '--scenario', 'helthy'],
      ['node-drain', '--node', 'n1', '--dry-run', '--sim', 'helthy'],
    ]) {
      const result = await runCli(args);
      assert.equal(result.exitCode, EXIT_CODES.usage, result.stderr);
      assert.match(result.stderr, /There is no scenario called "helthy"\.\n.*Did you mean `healthy`\?/);
    }
  });

  it('suggests nothing for a word far from every name', async () => {
    const result = await runCli(['xyzzy']);
    assert.equal(result.exitCode, EXIT_CODES.usage);
    assert.doesNotMatch(result.stderr, /Did you mean/);
  });
});

describe('runbook version', () => {
  it('names runbook, Node and the client libraries, as text and as JSON', async () => {
    for (const args of [['version'], ['--version'], ['-V']]) {
      const { stdout, exitCode } = await runCli(args);
      assert.equal(exitCode, 0);
      assert.match(stdout, /^runbook \d+\.\d+\.\d+$/m);
      assert.ok(stdout.includes(`node    ${process.version}`), stdout);
      for (const client of ['@kubernetes/client-node', '@linode/api-v4', 'pg'])
        assert.match(stdout, new RegExp(`${client} \\d+\\.\\d+\\.\\d+`));
    }
  });
});
