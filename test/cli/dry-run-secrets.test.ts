// --dry-run and the Secrets a workload needs: the twin holds each Secret by name and key names (so a
// pod whose env comes from one starts there as it does live) and never its value; a Secret missing
// live is a failure the dry run predicts at once, naming the step, the pod and the Secret.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Scenario } from '../../src/sim/scenario.js';
import { healthy } from '../../src/sim/scenarios/healthy.js';
import type { KubeObject } from '../../src/sim/world.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

interface ContainerLike {
  name: string;
  env?: Array<Record<string, unknown>>;
  envFrom?: Array<Record<string, unknown>>;
}

/** The healthy night, with Postgres taking its settings from the Secret `postgres-env`. */
function withPostgresSecret(secret: KubeObject | undefined): Scenario {
  const manifests = healthy.manifests.map((m) => {
    if (m.kind !== 'Deployment' || m.metadata.name !== 'postgres') return m;
    const copy = structuredClone(m);
    const spec = copy.spec as { template: { spec: { containers: ContainerLike[] } } };
    const [container] = spec.template.spec.containers;
    assert.ok(container !== undefined);
    container.envFrom = [{ secretRef: { name: 'postgres-env' } }];
    container.env = [
      ...(container.env ?? []),
      {
        name: 'POSTGRES_PASSWORD',
        valueFrom: { secretKeyRef: { name: 'postgres-env', key: 'POSTGRES_PASSWORD' } },
      },
    ];
    return copy;
  });
  return {
    ...healthy,
    name: 'healthy-with-postgres-env',
    manifests: secret === undefined ? manifests : [secret, ...manifests],
  };
}

/** Every file under `dir` whose bytes hold `needle`, as text or base64. */
function filesHolding(dir: string, needle: string): string[] {
  if (!existsSync(dir)) return [];
  const forms = [needle, Buffer.from(needle).toString('base64')];
  const found: string[] = [];
  const walk = (path: string): void => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return; // removed while we looked: the twin cleans up after itself
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
      return;
    }
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch {
      return;
    }
    if (forms.some((f) => text.includes(f))) found.push(path);
  };
  walk(dir);
  return found;
}

describe('--dry-run with a Secret the workload needs', () => {
  // Unique to this run, so finding it anywhere means it leaked from the live Secret.
  const planted = `planted-${randomBytes(12).toString('hex')}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-state-'));
  const tmp = mkdtempSync(join(tmpdir(), 'runbook-tmp-'));
  let h: SimHarness;
  let result: Awaited<ReturnType<typeof runCli>>;
  const seenInTmp: string[] = [];
  let sawTwinDir = false;

  before(async () => {
    h = await startSimHarness(
      withPostgresSecret({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'postgres-env', namespace: 'default' },
        type: 'Opaque',
        data: {
          POSTGRES_PASSWORD: Buffer.from(planted).toString('base64'),
          POSTGRES_USER: Buffer.from('pydis').toString('base64'),
        },
      }),
    );
    // The twin writes under TMPDIR while it runs (and removes it after): look there all along.
    let running = true;
    const watch = (async () => {
      while (running) {
        seenInTmp.push(...filesHolding(tmp, planted));
        sawTwinDir ||= readdirSync(tmp).some((entry) => entry.startsWith('runbook-twin-'));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    result = await runCli(['postgres-remount', '--dry-run'], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir, TMPDIR: tmp }),
    });
    running = false;
    await watch;
  });
  after(() => h.stop());

  it('plans and completes: the pod starts in the twin because the Secret is there by name and keys', () => {
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /\(1 Secrets among them: names and key names only, never a value\)/);
    assert.match(result.stdout, /scale deployment default\/postgres from 0 to 1/);
    assert.match(result.stdout, /✔ postgres-remount finished/);
    assert.deepEqual(h.mutations(), []);
  });

  it('shows the planted value nowhere: not on screen, not in the journal, not in the twin’s files', () => {
    const encoded = Buffer.from(planted).toString('base64');
    for (const text of [result.stdout, result.stderr]) {
      assert.ok(!text.includes(planted), 'the value was printed');
      assert.ok(!text.includes(encoded), 'the value was printed in base64');
    }
    const journals = readdirSync(join(stateDir, 'runs'));
    assert.equal(journals.length, 1);
    assert.deepEqual(filesHolding(stateDir, planted), []);
    assert.deepEqual(seenInTmp, []);
    assert.deepEqual(filesHolding(tmp, planted), []);
    // The look above looked where the twin writes, and the twin left nothing behind.
    assert.ok(sawTwinDir, 'the twin never wrote under TMPDIR');
    assert.deepEqual(readdirSync(tmp), []);
  });
});

describe('--dry-run when a Secret the workload needs is missing live', () => {
  let h: SimHarness;
  let result: Awaited<ReturnType<typeof runCli>>;
  let ms: number;

  before(async () => {
    h = await startSimHarness(withPostgresSecret(undefined));
    const started = Date.now();
    result = await runCli(['postgres-remount', '--dry-run'], { env: h.env() });
    ms = Date.now() - started;
  });
  after(() => h.stop());

  it('ends at once with the failure live would meet, naming the step, the pod and the Secret', () => {
    assert.equal(result.exitCode, 6, result.stderr + result.stdout);
    // Bring Postgres back waits up to 300 s live; the twin knows well before.
    assert.ok(ms < 60_000, `took ${ms} ms`);
    assert.match(
      result.stderr,
      /Dry run: live, step "Bring Postgres back" would wait up to 300 s and fail: 0\/1 ready: postgres-\S+ Pending \(CreateContainerConfigError\)/,
    );
    assert.match(result.stderr, /secret "postgres-env" not found/);
    assert.deepEqual(h.mutations(), []);
  });
});

describe('--dry-run with a kubeconfig that may not list Secrets', () => {
  let h: SimHarness;
  let result: Awaited<ReturnType<typeof runCli>>;

  before(async () => {
    h = await startSimHarness(
      withPostgresSecret({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'postgres-env', namespace: 'default' },
        data: { POSTGRES_PASSWORD: Buffer.from('s3cret').toString('base64') },
      }),
    );
    const denied = await fetch(`${h.sim.url}/_sim/policy`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ deny: [{ verb: 'list', resource: 'secrets' }] }),
    });
    assert.equal(denied.status, 200);
    result = await runCli(['postgres-remount', '--dry-run'], { env: h.env() });
  });
  after(() => h.stop());

  it('assumes the Secrets the workloads name exist, says so, and predicts no failure they would not meet', () => {
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(
      result.stdout,
      /Secrets may not be listed with this kubeconfig: the 1 the workloads name are assumed to exist/,
    );
    assert.match(result.stdout, /✔ postgres-remount finished/);
  });
});
