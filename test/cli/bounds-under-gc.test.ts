// The built CLI under forced garbage collection (node --expose-gc --import gc-pressure.mjs): a wait
// that can never be met gives up at its bound on the simulator's clock with its own reason, and a
// drain's eviction window ends at --timeout, naming the budget that kept refusing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { readJournal } from '../../src/engine/journal.js';
import { settle } from '../../src/sim/scenario.js';
import { BIN, ROOT, TEST_STATE_DIR, cleanEnv } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const GC_PRESSURE = join(ROOT, 'test', 'helpers', 'gc-pressure.mjs');

interface Ended {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly realMs: number;
  readonly collections: number;
}

async function cliUnderGc(args: readonly string[], env: Record<string, string>): Promise<Ended> {
  const started = Date.now();
  const result = await execa(process.execPath, ['--expose-gc', '--import', GC_PRESSURE, BIN, ...args], {
    env: { ...env, GC_PRESSURE_MS: '50' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 280_000,
    cwd: ROOT,
  });
  const collections = Number(/gc-pressure: (\d+) collections/.exec(result.stderr)?.[1] ?? '0');
  return {
    exitCode: result.exitCode ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    realMs: Date.now() - started,
    collections,
  };
}

describe('the CLI under forced garbage collection', { concurrency: true }, () => {
  it('--sim: a Postgres that can never be scheduled gives up after 300 simulated seconds, exit 6', async () => {
    // 2021-01-10: one node NotReady, the other too small for Postgres, so it stays Pending.
    const ended = await cliUnderGc(
      [
        'postgres-remount',
        '--sim',
        '2021-01-10-primary-kubernetes-node-outage',
        '--speed',
        '10',
        '--yes',
        '--backup',
        'skip',
      ],
      cleanEnv(),
    );
    const output = `${ended.stderr}\n${ended.stdout}`;
    assert.equal(ended.exitCode, 6, output);
    assert.match(
      ended.stderr,
      /✖ Gave up after 300s: 0\/1 ready: postgres-\S+ Pending, not Ready — FailedScheduling: 0\/2 nodes are available/,
    );
    assert.match(ended.stdout, /wait until deployment default\/postgres has 1 ready \(at most 300s\)/);
    assert.ok(ended.collections >= 20, `only ${ended.collections} collections: ${output}`);
    // 300 simulated seconds at ×10 are 30 real seconds; on the real clock the wait alone takes 300.
    // (×10, not more: under forced collections on a busy machine the run itself is slow, and its
    // earlier, shorter waits must have the real time to see their pods go.)
    assert.ok(ended.realMs < 240_000, `took ${ended.realMs} ms`);
    const runId = /run {6}(\S+)/.exec(ended.stdout)?.[1];
    assert.ok(runId !== undefined, output);
    const end = readJournal(TEST_STATE_DIR, runId).find((r) => r.type === 'end');
    assert.equal(end?.type === 'end' ? end.status : undefined, 'wait-timeout');
  });

  describe('node-drain: a budget that never allows', () => {
    let h: SimHarness;
    before(async () => {
      h = await startSimHarness('healthy');
      h.sim.world.kube.create({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'site', namespace: 'default' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'site' } } },
      });
      h.sim.world.faults.add({ kind: 'pdb-never-allows', namespace: 'default', name: 'site' });
      await settle(h.sim.world);
    });
    after(() => h.stop());

    it('ends the eviction window at --timeout and names the budget', async () => {
      const pod = h.sim.world.kube
        .list('v1', 'Pod', 'default')
        .find((p) => p.metadata.labels?.app === 'site');
      const node = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
      assert.ok(node !== undefined);
      const ended = await cliUnderGc(['node-drain', '--yes', '--node', node, '--timeout', '3'], h.env());
      const output = `${ended.stderr}\n${ended.stdout}`;
      assert.equal(ended.exitCode, 1, output);
      assert.match(
        ended.stderr,
        /could not be evicted within 3s: default\/site-[a-z0-9-]+ \(The disruption budget site needs 1 healthy pods/,
      );
      assert.ok(ended.collections >= 20, `only ${ended.collections} collections: ${output}`);
      assert.ok(h.sim.requests.some((r) => r.path.endsWith('/eviction') && r.status === 429));
    });
  });
});
