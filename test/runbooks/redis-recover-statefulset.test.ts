// redis-recover on a team's Redis that is a StatefulSet with one replica (the team-repo fixture, loaded
// as `train --load` loads it, with the 2021-07-11 out-of-memory night aimed at it). A StatefulSet's
// rolling update waits for its crash-looping pod to be Ready (OrderedReady), as Kubernetes' does, so
// the runbook deletes the pod and waits for its controller to make redis-0 again, then restarts the
// dependents; a Deployment's Redis keeps its rollout restart (redis-recover.test.ts).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nightLoader } from '../../src/sim/load-night.js';
import { settle } from '../../src/sim/scenario.js';
import type { Scenario } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { type SimHarness, startWorldHarness } from '../helpers/sim.js';

const TEAM_REPO = join(ROOT, 'test', 'fixtures', 'team-repo');

describe('redis-recover on the team’s StatefulSet Redis, OOM-killed and crash-looping', () => {
  let h: SimHarness;
  let night: Scenario;
  let uidBefore: string | undefined;
  const redis0 = () => h.sim.world.kube.get('v1', 'Pod', 'default', 'redis-0');
  before(async () => {
    const base = findScenario('2021-07-11-redis-out-of-memory');
    assert.ok(base !== undefined);
    const mapped = nightLoader(base, TEAM_REPO);
    assert.ok(mapped.ok, mapped.ok ? '' : mapped.why);
    h = await startWorldHarness(mapped.value.loader);
    await settle(h.sim.world);
    const played = mapped.value.night();
    assert.ok(typeof played !== 'string', typeof played === 'string' ? played : '');
    night = played.scenario;
    uidBefore = redis0()?.metadata.uid;
  });
  after(() => h.stop());

  it('starts broken: redis-0 crash-looping', () => {
    const check = night.recovered(h.sim.world);
    assert.equal(check.ok, false);
    assert.match(check.detail, /redis/);
  });

  it('--dry-run plans deleting redis-0 (not a rollout restart) and changes nothing', async () => {
    const result = await runCli(['redis-recover', '--dry-run', '--dependents', 'app=site'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(h.mutations(), []);
    assert.match(result.stdout, /statefulset default\/redis: 0\/1 ready/);
    assert.match(result.stdout, /kubectl -n default delete pod\/redis-0 --grace-period=30/);
    assert.doesNotMatch(result.stdout, /rollout restart statefulset\/redis/);
    assert.match(result.stdout, /wait until pod default\/redis-0 is replaced by a new one and Ready/);
    assert.equal(redis0()?.metadata.uid, uidBefore);
  });

  it('--yes deletes redis-0, waits for the StatefulSet to make it again Ready, then restarts the site', async () => {
    const result = await runCli(['redis-recover', '--yes', '--dependents', 'app=site'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(
      h.mutations().map((r) => `${r.method} ${r.path}`),
      [
        'DELETE /api/v1/namespaces/default/pods/redis-0',
        'PATCH /apis/apps/v1/namespaces/default/deployments/site',
      ],
    );
    const again = redis0();
    assert.ok(again !== undefined && again.metadata.uid !== uidBefore, 'redis-0 is a new pod');
    await settle(h.sim.world);
    const check = night.recovered(h.sim.world);
    assert.equal(check.ok, true, check.detail);
  });

  it('a second run finds Redis healthy and changes nothing', async () => {
    const before = h.mutations().length;
    const result = await runCli(['redis-recover', '--yes', '--dependents', 'app=site'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(h.mutations().length, before);
    assert.match(result.stdout, /statefulset default\/redis is healthy: not restarted/);
  });
});
