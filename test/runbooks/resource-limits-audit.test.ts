// resource-limits-audit end to end: the built CLI against the 2021-01-12 scenario (site with no
// requests or limits, Postgres OOM-killed): the report, --apply with --yes and --dry-run, a second
// run, and the stops for a bad file or a workload that is not there.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { writeTeamRepository } from '../../src/sim/team-repository.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const SCENARIO = '2021-01-12-site-cpu-ram-exhaustion';
const dir = mkdtempSync(join(tmpdir(), 'resource-limits-audit-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// The limits the team settled on after that night, as the scenario's team repository holds them.
const scenario = findScenario(SCENARIO);
assert.ok(scenario !== undefined);
const LIMITS = join(writeTeamRepository(scenario, join(dir, 'repo')), 'limits.yaml');

describe('resource-limits-audit --dry-run --apply on the 2021-01-12 site exhaustion', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('reports, plans the three patches on a twin, and sends no mutating request', async () => {
    const result = await runCli(['resource-limits-audit', '--dry-run', '--apply', LIMITS], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(h.mutations(), []);
    assert.match(
      result.stdout,
      /deployment default\/site container site: no memory limit, no memory request, no cpu request/,
    );
    assert.match(
      result.stdout,
      /kubectl -n default set resources deployment\/site -c site --requests=cpu=250m,memory=256Mi --limits=memory=1Gi/,
    );
    assert.match(result.stdout, /set requests and limits of deployment default\/postgres container postgres/);
  });
});

describe('resource-limits-audit --yes', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('without --apply, reports unbounded containers and node allocation, and changes nothing', async () => {
    // Only reading: no --yes and no terminal are needed, and no cluster lock is taken.
    const result = await runCli(['resource-limits-audit'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.locks(), []);
    assert.match(
      result.stdout,
      /deployment default\/redis container redis: no memory request, no cpu request/,
    );
    assert.match(result.stdout, /2 container\(s\) without requests or limits/);
    assert.match(
      result.stdout,
      /node lke13311-16405-5fafd1b46dcf: cpu requests 500m of 4000m \(13%\); memory requests 1\.0Gi of 7\.7Gi \(13%\), limits 6\.0Gi \(78%\), and 2 container\(s\) with no memory limit at all/,
    );
    assert.match(result.stdout, /! lke13311-16405-5fafd1b46dcf: 2 container\(s\) may take all its memory/);
    assert.match(result.stdout, /nothing to apply: give requests and limits with --apply <file>/);
  });

  it('stops on a file it cannot use, in one sentence: exit 3, or exit 5 for a workload not there', async () => {
    const bad = file('bad.yaml', '- workload: default/deployment/site\n  limits: { memory: lots }\n');
    const invalid = await runCli(['resource-limits-audit', '--yes', '--apply', bad], { env: h.env() });
    assert.equal(invalid.exitCode, 3, invalid.stderr + invalid.stdout);
    assert.match(invalid.stderr, /entry 1 limits\.memory "lots" is not a cpu or memory quantity/);
    const missing = file('missing.yaml', '- workload: default/deployment/nope\n  limits: { memory: 1Gi }\n');
    const absent = await runCli(['resource-limits-audit', '--yes', '--apply', missing], { env: h.env() });
    assert.equal(absent.exitCode, 5, absent.stderr + absent.stdout);
    assert.match(
      absent.stderr,
      /deployment default\/nope named in --apply does not exist\.[\s\S]*Correct the file/,
    );
    assert.deepEqual(h.mutations(), []);
  });

  it('with --apply, patches one workload at a time, waits for each, and the scenario is recovered', async () => {
    const result = await runCli(['resource-limits-audit', '--yes', '--apply', LIMITS], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const patches = h.mutations().filter((r) => r.method === 'PATCH');
    assert.deepEqual(
      patches.map((r) => r.path),
      [
        '/apis/apps/v1/namespaces/default/deployments/site',
        '/apis/apps/v1/namespaces/default/deployments/redis',
        '/apis/apps/v1/namespaces/default/deployments/postgres',
      ],
    );
    assert.match(result.stdout, /deployment default\/postgres: 1\/1 ready on the current template/);
    assert.match(result.stdout, /3 workload\(s\) have the requests and limits of/);
    await settle(h.sim.world);
    const check = findScenario(SCENARIO)?.recovered(h.sim.world);
    assert.equal(check?.ok, true, check?.detail);
  });

  it('run again with the same file, plans nothing', async () => {
    const before = h.mutations().length;
    const result = await runCli(['resource-limits-audit', '--yes', '--apply', LIMITS], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(h.mutations().length, before);
    assert.match(
      result.stdout,
      /deployment default\/site container site already has these requests and limits/,
    );
    assert.match(result.stdout, /all 4 workloads have cpu and memory requests and a memory limit/);
  });
});
