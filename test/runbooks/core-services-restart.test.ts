// core-services-restart end to end: the built CLI against the 2020-12-11 all-services-outage scenario,
// with --yes, --dry-run, a second run, and the stops its postmortem calls for (Postgres removed, the
// bot's Secret missing, a bad waves file).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { deployment } from '../../src/sim/scenarios/manifests.js';
import { writeTeamRepository } from '../../src/sim/team-repository.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const SCENARIO = '2020-12-11-all-services-outage';
const dir = mkdtempSync(join(tmpdir(), 'core-services-restart-'));

const restarts = (h: SimHarness): string[] =>
  h
    .mutations()
    .filter((r) => r.method === 'PATCH')
    .map((r) => r.path.replace(/^\/apis\/apps\/v1\/namespaces\//, ''));

function provisionPostgres(h: SimHarness): void {
  h.sim.world.kube.create(
    deployment('postgres', 'default', 1, {
      image: 'postgres:13-alpine',
      port: 5432,
      claim: { name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' },
    }),
  );
}

function restoreBotSecret(h: SimHarness): void {
  h.sim.world.kube.create({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'bot-sentry', namespace: 'default' },
    data: { dsn: Buffer.from('https://key@sentry.example/1').toString('base64') },
  });
}

describe('core-services-restart --yes on the 2020-12-11 all-services outage', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('restarts network, DNS and storage in order, then stops cleanly at Postgres, which was removed', async () => {
    const result = await runCli(['core-services-restart', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 5, result.stderr + result.stdout);
    assert.deepEqual(restarts(h), [
      'kube-system/daemonsets/calico-node',
      'kube-system/deployments/coredns',
      'kube-system/daemonsets/csi-linode-node',
    ]);
    assert.match(result.stdout, /equivalent: kubectl -n kube-system rollout restart daemonset\/calico-node/);
    assert.match(result.stdout, /daemonset kube-system\/calico-node: 3\/3 ready on the current template/);
    assert.match(result.stdout, /statefulset kube-system\/csi-linode-controller is healthy/);
    assert.match(
      result.stderr + result.stdout,
      /deployment default\/postgres of the stateful wave does not exist/,
    );
    assert.match(
      result.stderr + result.stdout,
      /Give the team.s manifests with --manifests <dir> to re-create it/,
    );
  });

  it('stops at the bot, whose Secret is missing: a restart cannot fix that, and says so', async () => {
    provisionPostgres(h);
    await settle(h.sim.world);
    const before = restarts(h).length;
    const result = await runCli(['core-services-restart', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 5, result.stderr + result.stdout);
    const output = result.stderr + result.stdout;
    assert.match(
      output,
      /A restart will not fix deployment default\/bot: pod bot-\S+ is CreateContainerConfigError/,
    );
    assert.match(output, /create the missing Secret/);
    // The core waves are healthy now and were not restarted again; site (apps wave) was not reached.
    assert.deepEqual(restarts(h).slice(before), []);
  });

  it('once the Secret is back, restarts what still fails and the scenario is recovered', async () => {
    restoreBotSecret(h);
    await settle(h.sim.world);
    const before = restarts(h).length;
    const result = await runCli(['core-services-restart', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(restarts(h).slice(before), ['default/deployments/site']);
    await settle(h.sim.world);
    const check = findScenario(SCENARIO)?.recovered(h.sim.world);
    assert.equal(check?.ok, true, check?.detail);
  });

  it('run again, plans nothing: every wave is healthy', async () => {
    const before = h.mutations().length;
    const result = await runCli(['core-services-restart', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(h.mutations().length, before);
    assert.match(result.stdout, /deployment default\/site is healthy \(2\/2 ready\): not restarted/);
  });
});

describe('core-services-restart --dry-run', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('plans the restarts on a twin and sends no mutating request to the cluster', async () => {
    const result = await runCli(['core-services-restart', '--dry-run'], { env: h.env() });
    assert.deepEqual(h.mutations(), []);
    assert.match(result.stdout, /restart daemonset kube-system\/calico-node/);
    assert.match(result.stdout, /restart deployment kube-system\/coredns/);
    assert.match(
      result.stderr + result.stdout,
      /deployment default\/postgres of the stateful wave does not exist/,
    );
  });
});

describe('core-services-restart --manifests: what the cluster lost, from the team repository', () => {
  let h: SimHarness;
  let repo: string;
  const dsnKey = '5f0e1c2b9a8d4e7f';
  before(async () => {
    h = await startSimHarness(SCENARIO);
    const scenario = findScenario(SCENARIO);
    assert.ok(scenario !== undefined);
    repo = writeTeamRepository(scenario, mkdtempSync(join(tmpdir(), 'team-repo-')));
    // A team repository holds more than manifests: files that are not Kubernetes objects are passed over.
    writeFileSync(join(repo, 'kustomization.yaml'), 'resources: [default/deployment-postgres.json]\n');
  });
  after(() => h.stop());

  it('--dry-run plans re-creating Postgres and the bot Secret, shows names and never the value, changes nothing', async () => {
    const result = await runCli(['core-services-restart', '--dry-run', '--manifests', repo], {
      env: h.env(),
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(h.mutations(), []);
    assert.match(result.stdout, /apply deployment\/postgres in default from \S+deployment-postgres\.json/);
    assert.match(result.stdout, /apply secret\/bot-sentry in default from \S+secret-bot-sentry\.json/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(dsnKey));
  });

  it('a file that is not YAML is named, never quoted, and does not stop the run: the refusal that needed it names it', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'team-repo-broken-'));
    writeFileSync(join(broken, 'secret.yaml'), `kind: Secret\nstringData:\n  dsn: "${dsnKey}\n  - [\n`);
    const result = await runCli(['core-services-restart', '--dry-run', '--manifests', broken], {
      env: h.env(),
    });
    assert.equal(result.exitCode, 5, result.stderr + result.stdout);
    assert.match(result.stdout, /not read from --manifests: \S+secret\.yaml: not valid YAML/);
    assert.match(
      result.stderr,
      /deployment default\/postgres of the stateful wave does not exist.*It may be in what --manifests could not read: \S+secret\.yaml: not valid YAML/,
    );
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(dsnKey), 'the parser quoted the secret');
    assert.deepEqual(h.mutations(), []);
    const missing = await runCli(['core-services-restart', '--yes', '--manifests', join(broken, 'nope')], {
      env: h.env(),
    });
    assert.equal(missing.exitCode, 3);
    assert.match(missing.stderr, /--manifests \S+nope is not a readable directory/);
  });
});

describe('core-services-restart with a waves file', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
  });
  after(() => h.stop());

  it('restarts only the waves the file names, in its order', async () => {
    const file = join(dir, 'waves.yaml');
    writeFileSync(
      file,
      'network:\n  - kube-system/daemonset/calico-node\ndns: []\napps:\n  - default/deployment/site\n',
    );
    const result = await runCli(['core-services-restart', '--yes', '--waves', file], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(restarts(h), ['kube-system/daemonsets/calico-node', 'default/deployments/site']);
  });

  it('refuses a waves file it cannot read, in one sentence, with exit 3 and no request', async () => {
    const before = h.mutations().length;
    const file = join(dir, 'bad-waves.yaml');
    writeFileSync(file, 'network:\n  - calico-node\n');
    const result = await runCli(['core-services-restart', '--yes', '--waves', file], { env: h.env() });
    assert.equal(result.exitCode, 3, result.stderr + result.stdout);
    assert.match(result.stderr, /"calico-node" in network is not namespace\/kind\/name/);
    assert.equal(h.mutations().length, before);
    const unknown = join(dir, 'unknown-stage.yaml');
    writeFileSync(unknown, 'cni: []\n');
    const second = await runCli(['core-services-restart', '--yes', '--waves', unknown], { env: h.env() });
    assert.equal(second.exitCode, 3);
    assert.match(second.stderr, /"cni" is not a stage; use network, dns, storage, stateful, apps/);
  });
});
