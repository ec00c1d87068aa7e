// runbook.config.yaml's `runbooks:` section names a team's own runbook as it names a built-in one: its
// parameters are checked by the runbook's own declarations once the team's folder is read, `runbook
// config` shows them, a run uses them, and commands that never read the folder are not refused.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';

const project = mkdtempSync(join(tmpdir(), 'runbook-team-config-'));
const inProject = (args: readonly string[]): ReturnType<typeof runCli> => runCli(args, { cwd: project });
const configure = (runbooks: string): void =>
  writeFileSync(join(project, 'runbook.config.yaml'), `runbooksFolder: runbooks\nrunbooks:\n${runbooks}`);

describe("a team's runbook in runbook.config.yaml", () => {
  before(async () => {
    const made = await inProject(['new', 'restart-web', '--dir', 'runbooks']);
    assert.equal(made.exitCode, 0, made.stderr);
  });

  it('runbook config shows its parameters from the file, and a run uses them', async () => {
    configure('  restart-web:\n    deployment: bot\n');
    const shown = await inProject(['config']);
    assert.equal(shown.exitCode, 0, shown.stderr);
    assert.match(shown.stdout, /^restart-web$/m);
    assert.match(shown.stdout, /^ {2}deployment +bot +file runbook\.config\.yaml:4$/m);
    assert.match(shown.stdout, /^ {2}namespace +default +built-in/m);
    const one = await inProject(['config', 'restart-web']);
    assert.equal(one.exitCode, 0, one.stderr);
    assert.doesNotMatch(one.stdout, /^postgres-remount$/m);
    const run = await inProject(['restart-web', '--sim', '--speed', 'instant', '--yes']);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /restart deployment default\/bot/);
  });

  it("checks the value by the team runbook's own declaration, with the file's line", async () => {
    configure('  restart-web:\n    deployment: Not_A_Name\n');
    const shown = await inProject(['config']);
    assert.equal(shown.exitCode, 3, shown.stdout);
    assert.match(shown.stderr, /runbook\.config\.yaml line 4: runbooks\.restart-web\.deployment/);
  });

  it('refuses an id that is neither built in nor the team’s, suggesting the near one', async () => {
    configure('  restart-wbe:\n    deployment: bot\n');
    const shown = await inProject(['config']);
    assert.equal(shown.exitCode, 3, shown.stdout);
    assert.match(shown.stderr, /runbooks\.restart-wbe is not a runbook.*restart-web/);
  });

  it('does not stop a built-in runbook, whose run never reads the team’s folder', async () => {
    configure('  restart-web:\n    deployment: bot\n');
    const run = await inProject(['resource-limits-audit', '--sim', 'healthy', '--speed', 'instant']);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
  });
});
