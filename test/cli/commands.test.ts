// The read-only commands a new on-call volunteer starts with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { execa } from 'execa';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';

describe('runbook list, show and sim list', () => {
  it('list names every runbook on one line', async () => {
    const result = await runCli(['list']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^postgres-remount\s+changes\s+Take Postgres down/m);
  });

  it('show explains the steps, the parameters and the postmortems', async () => {
    const result = await runCli(['show', 'postgres-remount']);
    assert.equal(result.exitCode, 0, result.stderr);
    const named =
      /Codifies the recovery of:\n((?: {2}.+\n)+)/.exec(result.stdout)?.[1]?.trim().split(/\n\s*/) ?? [];
    assert.ok(named.length > 0, result.stdout);
    for (const file of named) {
      // An absolute path into the package's own docs, which an on-call person can open as printed.
      assert.ok(isAbsolute(file) && file.endsWith('.rst'), file);
      assert.ok(statSync(file).isFile(), file);
    }
    assert.ok(named.some((f) => f.endsWith('/docs/postmortems/2020-12-11-postgres-conn-surge.rst')));
    assert.match(result.stdout, /--strategy <scale\|recreate>\s+scale: scale to 0/);
    // kubectl's short flag is shown where the command line takes it.
    assert.match(result.stdout, /^ {2}-n, --namespace <name> +namespace of the Postgres deployment/m);
    assert.match(result.stdout, /1\. Locate Postgres/);
    assert.match(result.stdout, /5\. Detach the volume at Linode\s+\[detach-volume\]/);
  });

  it('show of an unknown runbook says where to look', async () => {
    const result = await runCli(['show', 'nope']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /There is no runbook called "nope"/);
  });

  it('sim list names the scenarios', async () => {
    const result = await runCli(['sim', 'list']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^healthy\s+/m);
    assert.match(result.stdout, /^2020-12-11-postgres-conn-surge\s+Postgres saturated/m);
  });

  it('--help lists the runbooks as commands', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /postgres-remount/);
  });

  it('the --help and list printed from the build are what commander prints now', async () => {
    for (const args of [['--help'], ['list']]) {
      const fast = await runCli(args);
      const slow = await runCli(args, { env: cleanEnv({ RUNBOOK_STATIC_CACHE: 'off' }) });
      assert.equal(fast.stdout, slow.stdout, `runbook ${args.join(' ')}: rebuild with npm run build`);
    }
  });

  it('the entry point is executable, as npx runbook runs it', () => {
    assert.ok((statSync(BIN).mode & 0o111) !== 0, `${BIN} is not executable: npm run build makes it so`);
  });
});

describe('output into a pipe that closes', () => {
  it('ends quietly, without a stack trace, when the reader has gone', async () => {
    // `true` exits at once, so every write meets a closed pipe: the `| head -1` of a long history.
    const result = await execa(
      'bash',
      ['-c', `"${process.execPath}" "${BIN}" sim list | true; echo "exit=\${PIPESTATUS[0]}" >&2`],
      {
        env: cleanEnv({ RUNBOOK_STATIC_CACHE: 'off' }),
        extendEnv: false,
        reject: false,
      },
    );
    assert.match(result.stderr, /^exit=0$/m);
    assert.doesNotMatch(result.stderr, /EPIPE|\n\s+at /, 'no stack trace');
  });
});
