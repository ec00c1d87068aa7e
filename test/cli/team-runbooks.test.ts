// A team's own runbooks, through the real CLI, from a folder outside the project with no
// node_modules: scaffolded by `runbook new`, listed, run on the simulator, and passed by `runbook test`;
// a broken file beside them is named and the others still load.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { FAILING_REPORT, NODES_REPORT } from '../helpers/team-runbooks.js';

const team = mkdtempSync(join(tmpdir(), 'runbook-team-'));
const folder = join(team, 'runbooks');
const inTeam = (args: readonly string[]): ReturnType<typeof runCli> =>
  runCli(['--runbooks', folder, ...args], { cwd: team });

describe("a team's own runbooks folder", () => {
  before(async () => {
    const made = await runCli(['new', 'restart-web', '--dir', 'runbooks'], { cwd: team });
    assert.equal(made.exitCode, 0, made.stderr);
    writeFileSync(join(folder, 'nodes-report.mjs'), NODES_REPORT);
    writeFileSync(join(folder, 'exporter-report.mjs'), FAILING_REPORT);
    writeFileSync(
      join(folder, 'half-written.ts'),
      "import { defineRunbook } from 'runbook';\nexport default defineRunbook({ id: ;\n",
    );
    writeFileSync(join(folder, 'node-drain.mjs'), NODES_REPORT.replace("'nodes-report'", "'node-drain'"));
  });

  it('runbook new writes a runbook and its test, and refuses an existing file or a bad id', async () => {
    assert.deepEqual(
      readdirSync(folder)
        .filter((n) => n.startsWith('restart-web'))
        .sort(),
      ['restart-web.test.mjs', 'restart-web.ts'],
    );
    assert.match(readFileSync(join(folder, 'restart-web.ts'), 'utf8'), /from 'runbook'/);
    const before = readFileSync(join(folder, 'restart-web.ts'), 'utf8');
    const again = await runCli(['new', 'restart-web', '--dir', 'runbooks'], { cwd: team });
    assert.equal(again.exitCode, 5);
    assert.match(again.stderr, /already exists: nothing was written/);
    assert.equal(readFileSync(join(folder, 'restart-web.ts'), 'utf8'), before);
    const bad = await runCli(['new', 'Restart_Web', '--dir', 'runbooks'], { cwd: team });
    assert.equal(bad.exitCode, 3);
    assert.match(bad.stderr, /is not a runbook id/);
    assert.equal(existsSync(join(folder, 'Restart_Web.ts')), false);
  });

  it("list shows the team's runbooks beside the built-in ones, and names the files that did not load", async () => {
    const listed = await inTeam(['list']);
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.match(listed.stdout, /^node-drain .*Cordon a node/m);
    assert.match(listed.stdout, /^restart-web +changes +Restart a Deployment.*\(team's own\)$/m);
    assert.match(listed.stdout, /^nodes-report +reads +How many nodes.*\(team's own\)$/m);
    assert.match(listed.stderr, /team runbook not loaded: half-written\.ts: .*\(line 2\)/);
    assert.match(listed.stderr, /node-drain\.mjs: its id "node-drain" is taken by a built-in runbook/);
  });

  it("finds the folder from runbook.config.yaml's runbooksFolder, relative to the file", async () => {
    const project = mkdtempSync(join(tmpdir(), 'runbook-team-config-'));
    writeFileSync(join(project, 'runbook.config.yaml'), `runbooksFolder: ${folder}\n`);
    const listed = await runCli(['list'], { cwd: project });
    assert.equal(listed.exitCode, 0, listed.stderr);
    assert.match(listed.stdout, /^restart-web .*\(team's own\)$/m);
    const made = await runCli(['new', 'scale-bot'], { cwd: project });
    assert.equal(made.exitCode, 0, made.stderr);
    assert.ok(existsSync(join(folder, 'scale-bot.ts')));
  });

  it('runs a TypeScript runbook with --dry-run (nothing changed) and with --yes on the simulator', async () => {
    const dry = await inTeam(['restart-web', '--sim', '--speed', 'instant', '--dry-run']);
    assert.equal(dry.exitCode, 0, dry.stderr + dry.stdout);
    assert.match(dry.stdout, /nothing was changed in the cluster/);
    const yes = await inTeam(['restart-web', '--sim', '--speed', 'instant', '--yes']);
    assert.equal(yes.exitCode, 0, yes.stderr + yes.stdout);
    assert.match(yes.stdout, /site: 2\/2 Ready/);
  });

  it('runs a JavaScript runbook', async () => {
    const run = await inTeam([
      'nodes-report',
      '--sim',
      '2021-01-10-primary-kubernetes-node-outage',
      '--speed',
      'instant',
    ]);
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /1 of 2 nodes Ready/);
  });

  it('runbook test passes the scaffolded runbook, and says so in its summary lines alone', async () => {
    const tested = await inTeam(['test', 'restart-web']);
    assert.equal(tested.exitCode, 0, tested.stderr + tested.stdout);
    const lines = tested.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5, tested.stdout);
    assert.match(lines[0] ?? '', /^Testing restart-web on the simulator, scenario \S+:$/);
    assert.match(lines[1] ?? '', /^ {2}ok +--dry-run: no change sent$/);
    assert.match(lines[2] ?? '', /^ {2}ok +--yes: every step done$/);
    assert.match(lines[3] ?? '', /^ {2}ok +recovered: /);
    assert.equal(lines[4], 'restart-web passed.');
  });

  it("runbook test shows a failing run's own output, under its summary lines", async () => {
    const tested = await inTeam(['test', 'exporter-report']);
    assert.equal(tested.exitCode, 1, tested.stdout);
    const [summary = '', told = ''] = tested.stdout.split('  The failing run ended with:\n');
    assert.match(summary, /^ {2}FAIL +--dry-run: exited \d+$/m);
    assert.match(summary, /^ {2}FAIL +--yes: exited \d+$/m);
    assert.doesNotMatch(summary, /node-exporter/, 'nothing of the runs before the verdicts');
    assert.match(told, /^ {4}.*Find the node-exporter DaemonSet/m);
    assert.match(told, /^ {4}.*no DaemonSet called node-exporter in namespace monitoring/m);
    assert.match(tested.stdout, /\nexporter-report FAILED\.$/);
  });

  it('runbook test fails when the scenario is not recovered and the runbook checks nothing', async () => {
    const tested = await inTeam([
      'test',
      'nodes-report',
      '--scenario',
      '2021-01-10-primary-kubernetes-node-outage',
    ]);
    assert.equal(tested.exitCode, 1, tested.stdout);
    assert.match(tested.stdout, /FAIL +recovered: node\(s\) not Ready/);
    assert.match(tested.stdout, /nodes-report FAILED\./);
  });
});
