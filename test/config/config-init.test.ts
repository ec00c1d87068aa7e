// `runbook config init` starts a team's file from what the cluster shows, refuses to overwrite one,
// and without a cluster writes the built-in defaults commented out; every file it writes loads back.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { healthy } from '../../src/sim/scenarios/healthy.js';
import { cleanEnv } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type EffectiveJson, runIn } from './run-in.js';

const FILE = 'runbook.config.yaml';

async function effective(cwd: string): Promise<EffectiveJson> {
  const result = await runIn(cwd, ['config', '--output', 'json']);
  assert.equal(result.exitCode, 0, `the written file loads back: ${result.stderr}`);
  return JSON.parse(result.stdout) as EffectiveJson;
}

describe('runbook config init', () => {
  it('on the simulator: names the Postgres it found, and the file loads back with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-init-'));
    const result = await runIn(dir, ['config', 'init', '--sim']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /Postgres is Deployment default\/postgres\./);
    const text = readFileSync(join(dir, FILE), 'utf8');
    assert.match(
      text,
      /^# Found Postgres: Deployment default\/postgres \(image postgres[^)]*\); its pods carry app=postgres\.$/m,
    );
    const json = await effective(dir);
    for (const id of ['postgres-remount', 'postgres-connections', 'postgres-backup']) {
      assert.equal(json.runbooks[id]?.deployment?.value, 'postgres');
      assert.equal(json.runbooks[id]?.deployment?.source.from, 'file', `${id} takes it from the file`);
    }
    assert.equal(json.settings['lock.namespace']?.source.from, 'file');
  });

  it('refuses to overwrite a file, in one sentence with exit 3; --force replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-init-'));
    writeFileSync(join(dir, FILE), 'lock:\n  namespace: ours\n');
    const refused = await runIn(dir, ['config', 'init', '--sim']);
    assert.equal(refused.exitCode, EXIT_CODES['invalid-parameter']);
    assert.equal(
      refused.stderr.trim(),
      `✖ ${FILE} already exists in ${dir}: edit it, or pass --force to replace it with a new one.`,
    );
    assert.equal(readFileSync(join(dir, FILE), 'utf8'), 'lock:\n  namespace: ours\n', 'left as it was');
    const forced = await runIn(dir, ['config', 'init', '--sim', '--force']);
    assert.equal(forced.exitCode, 0, forced.stderr);
    assert.match(readFileSync(join(dir, FILE), 'utf8'), /Written by `runbook config init`/);
  });

  it('without a reachable cluster: says so, and writes the built-in defaults commented out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-init-'));
    const result = await runIn(dir, ['config', 'init'], cleanEnv({ KUBECONFIG: join(dir, 'no-kubeconfig') }));
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^Could not read the cluster \(No kubeconfig found at .*no-kubeconfig\)\.$/m);
    assert.ok(existsSync(join(dir, FILE)));
    const text = readFileSync(join(dir, FILE), 'utf8');
    assert.match(text, /^# {3}postgres-remount:$/m);
    assert.doesNotMatch(text, /^[a-z]/m, 'every line is a comment or blank');
    const json = await effective(dir);
    assert.equal(json.runbooks['postgres-remount']?.namespace?.source.from, 'built-in');
  });

  it('an unknown --sim scenario is a usage error, and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-init-'));
    const result = await runIn(dir, ['config', 'init', '--sim', 'no-such-night']);
    assert.equal(result.exitCode, EXIT_CODES.usage, result.stderr);
    assert.match(result.stderr, /There is no scenario called "no-such-night"\./);
    assert.ok(!existsSync(join(dir, FILE)));
  });
});

/** The healthy night, with Postgres deployed as the Bitnami chart names it: pg-main, image bitnami/postgresql. */
const bitnami: Scenario = {
  ...healthy,
  name: 'healthy-bitnami-postgres',
  manifests: healthy.manifests.map((m) => {
    if (m.kind !== 'Deployment' || m.metadata.name !== 'postgres') return m;
    const copy = structuredClone(m);
    copy.metadata.name = 'pg-main';
    const spec = copy.spec as { template: { spec: { containers: Array<{ image: string }> } } };
    for (const c of spec.template.spec.containers) c.image = 'bitnami/postgresql:15.4.0';
    return copy;
  }),
};

describe('runbook config init against a cluster, then a run from the file it wrote', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(bitnami);
  });
  after(() => h.stop());

  it('finds Postgres by its image, only reads, and the next run takes the names from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-init-'));
    const init = await runIn(dir, ['config', 'init'], h.env());
    assert.equal(init.exitCode, 0, init.stderr);
    assert.match(init.stdout, /Postgres is Deployment default\/pg-main\./);
    assert.deepEqual(h.mutations(), [], 'config init only reads');
    const text = readFileSync(join(dir, FILE), 'utf8');
    assert.match(
      text,
      /^# Found Postgres: Deployment default\/pg-main \(image bitnami\/postgresql:15\.4\.0\); its pods carry app=postgres\.$/m,
    );
    assert.match(text, /^ {4}deployment: pg-main$/m);

    const run = await runIn(dir, ['postgres-remount', '--dry-run'], h.env());
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /scale deployment default\/pg-main from 1 to 0/);
    assert.deepEqual(h.mutations(), [], 'a dry run changes nothing');
  });
});
