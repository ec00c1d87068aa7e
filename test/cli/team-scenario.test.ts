// A scenario written by the team: `runbook test <id> --load <manifests> --faults <file>`, through the
// real CLI, from a folder outside the project shaped like a team's repository (its manifests beside
// its runbooks). The dry run must send nothing, the run with --yes must reach the team's recovered
// condition, and a faults file that is wrong stops in one sentence before anything runs.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ROOT, runCli } from '../helpers/cli.js';
import { NODES_REPORT } from '../helpers/team-runbooks.js';

const team = mkdtempSync(join(tmpdir(), 'runbook-team-scenario-'));
const inTeam = (args: readonly string[]): ReturnType<typeof runCli> =>
  runCli(['--runbooks', 'runbooks', ...args], { cwd: team });
/** `runbook test <id>` on the team's manifests (kubernetes/) with a faults file of its folder. */
const testOnTeamWorld = (id: string, faults: string): ReturnType<typeof runCli> =>
  inTeam(['test', id, '--load', 'kubernetes', '--faults', faults]);

const SITE_CRASHES = `# The site's pods crash-loop; recovered means the site is Ready again and nothing crash-loops.
faults:
  - kind: pod-crash-loop
    namespace: default
    labelSelector: app=site
recovered:
  - workloadReady: Deployment default/site
  - noCrashLoops: [default]
`;

describe('runbook test on a scenario written by the team', () => {
  before(async () => {
    cpSync(join(ROOT, 'test', 'fixtures', 'team-repo'), join(team, 'kubernetes'), { recursive: true });
    const made = await runCli(['new', 'restart-web', '--dir', 'runbooks'], { cwd: team });
    assert.equal(made.exitCode, 0, made.stderr);
    writeFileSync(join(team, 'runbooks', 'nodes-report.mjs'), NODES_REPORT);
    writeFileSync(join(team, 'site-crashes.yaml'), SITE_CRASHES);
    writeFileSync(
      join(team, 'site-crashes.json'),
      JSON.stringify({
        faults: [{ kind: 'pod-crash-loop', namespace: 'default', labelSelector: 'app=site' }],
      }),
    );
  });

  it("passes a runbook that recovers the team's world: nothing sent by the dry run, the file's condition holds", async () => {
    const tested = await testOnTeamWorld('restart-web', 'site-crashes.yaml');
    assert.equal(tested.exitCode, 0, tested.stderr + tested.stdout);
    assert.match(tested.stdout, /^Testing restart-web on the simulator, the manifests of kubernetes:$/m);
    assert.match(tested.stdout, /Loaded: \d+ applied/);
    assert.match(tested.stdout, /ok +--dry-run: no change sent/);
    assert.match(tested.stdout, /ok +--yes: every step done/);
    assert.match(
      tested.stdout,
      /ok +recovered: site Ready; no container in CrashLoopBackOff \(the faults file's condition\)/,
    );
    assert.match(tested.stdout, /restart-web passed\./);
  });

  it('fails a runbook that leaves the fault in place, and says what still fails', async () => {
    const tested = await testOnTeamWorld('nodes-report', 'site-crashes.yaml');
    assert.equal(tested.exitCode, 1, tested.stdout);
    assert.match(tested.stdout, /ok +--dry-run: no change sent/);
    assert.match(tested.stdout, /FAIL +recovered: deployment default\/site has 0\/2 replicas Ready/);
    assert.match(tested.stdout, /nodes-report FAILED\./);
  });

  it('takes a JSON faults file on a built-in scenario, whose own condition then decides', async () => {
    const tested = await inTeam(['test', 'restart-web', '--faults', 'site-crashes.json']);
    assert.equal(tested.exitCode, 0, tested.stderr + tested.stdout);
    assert.match(tested.stdout, /on the simulator, scenario healthy:/);
    assert.match(tested.stdout, /ok +recovered: .*\(the scenario's condition\)/);
  });

  const BAD: ReadonlyArray<[string, string, RegExp]> = [
    [
      'an unknown fault kind',
      'faults: [{kind: pod-crash-lop, namespace: default, labelSelector: app=site}]',
      /faults\[0\]: unknown fault kind "pod-crash-lop"; known: .*pod-crash-loop/,
    ],
    [
      'a missing field',
      'faults: [{kind: pod-crash-loop, namespace: default}]',
      /faults\[0\]: fault pod-crash-loop: labelSelector is required/,
    ],
    ['YAML that does not parse', 'faults:\n  - kind: x\n   bad: [', /line \d+: the YAML does not parse/],
    [
      'an unknown condition',
      'faults: []\nrecovered: [siteUp]',
      /recovered\[0\]: "siteUp" is not a condition \(known: nodesReady/,
    ],
    ['a misspelt section', 'fault: []', /"fault" is not a section \(sections: faults, recovered\)/],
  ];
  for (const [what, text, says] of BAD) {
    it(`refuses a faults file with ${what} in one sentence, exit 3, before anything starts`, async () => {
      const file = `bad-${what.replace(/\W+/g, '-')}.yaml`;
      writeFileSync(join(team, file), text);
      const tested = await testOnTeamWorld('restart-web', file);
      assert.equal(tested.exitCode, 3, tested.stderr + tested.stdout);
      assert.equal(tested.stdout, '');
      assert.match(tested.stderr, says);
      assert.match(tested.stderr, /nothing was started\.$/m);
      assert.equal(tested.stderr.trim().split('\n').length, 1, tested.stderr);
    });
  }

  it('refuses a fault aimed at nothing in the loaded world, before any run', async () => {
    writeFileSync(
      join(team, 'typo.yaml'),
      'faults: [{kind: pod-crash-loop, namespace: default, labelSelector: app=sitee}]\n',
    );
    const tested = await testOnTeamWorld('restart-web', 'typo.yaml');
    assert.equal(tested.exitCode, 3, tested.stderr + tested.stdout);
    assert.match(
      tested.stderr,
      /--faults typo\.yaml: faults\[0\] pod-crash-loop: no pod in namespace default matches app=sitee; nothing was run\./,
    );
    assert.doesNotMatch(tested.stdout, /--dry-run/);
  });

  it('refuses --load with --scenario, and a faults file that is not there', async () => {
    const both = await inTeam(['test', 'restart-web', '--load', 'kubernetes', '--scenario', 'healthy']);
    assert.equal(both.exitCode, 2);
    assert.match(both.stderr, /--load and --scenario each name the world to rehearse on: give one of them\./);
    const gone = await testOnTeamWorld('restart-web', 'nope.yaml');
    assert.equal(gone.exitCode, 3);
    assert.match(gone.stderr, /--faults nope\.yaml: there is no such file; nothing was started\./);
  });
});
