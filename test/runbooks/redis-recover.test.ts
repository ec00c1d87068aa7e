// redis-recover end to end: the built CLI against the 2021-07-11 Redis out-of-memory scenario (Redis
// OOM-killed at its limit, the bot crash-looping), with --dry-run, --yes, --memory-limit, and a healthy cluster.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { settle } from '../../src/sim/scenario.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const SCENARIO = '2021-07-11-redis-out-of-memory';
const scenario = findScenario(SCENARIO);

const restarted = (h: SimHarness): string[] =>
  h
    .mutations()
    .filter((r) => r.method === 'PATCH')
    .map((r) => r.path.replace(/^\/apis\/apps\/v1\/namespaces\//, ''));

interface RedisDeployment {
  spec: { template: { spec: { containers: Array<{ resources?: { limits?: { memory?: string } } }> } } };
}

describe('redis-recover on the 2021-07-11 Redis out-of-memory night', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('starts broken: Redis OOMKilled and crash-looping, the bot too', () => {
    const check = scenario?.recovered(h.sim.world);
    assert.equal(check?.ok, false);
    assert.match(check?.detail ?? '', /redis|bot|CrashLoopBackOff/);
  });

  it('--dry-run shows the OOM kill at the limit and the plan, and changes nothing', async () => {
    const result = await runCli(['redis-recover', '--dry-run'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(h.mutations(), []);
    assert.match(result.stdout, /last terminated: OOMKilled \(exit 137\)/);
    assert.match(result.stdout, /memory request 128Mi, limit 512Mi/);
    assert.match(result.stdout, /OOMKilled at its memory limit 512Mi/);
    assert.match(result.stdout, /resource-limits-audit/);
    assert.match(result.stdout, /kubectl -n default rollout restart deployment\/redis/);
    assert.equal(scenario?.recovered(h.sim.world).ok, false);
  });

  it('--yes restarts Redis first, then the site and the bot, and the night is recovered', async () => {
    const result = await runCli(['redis-recover', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(restarted(h), [
      'default/deployments/redis',
      'default/deployments/site',
      'default/deployments/bot',
    ]);
    await settle(h.sim.world);
    const check = scenario?.recovered(h.sim.world);
    assert.equal(check?.ok, true, check?.detail);
  });

  it('a second run finds Redis healthy and changes nothing', async () => {
    const before = h.mutations().length;
    const result = await runCli(['redis-recover', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(h.mutations().length, before);
    assert.match(result.stdout, /deployment default\/redis is healthy: not restarted/);
  });
});

describe('redis-recover --memory-limit', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('rolls Redis to the new limit (before -> after) instead of a plain restart, then the dependents', async () => {
    const result = await runCli(['redis-recover', '--yes', '--memory-limit', '1Gi'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /memory limit 512Mi -> 1Gi/);
    const redis = h.get<RedisDeployment>('apps/v1', 'Deployment', 'default', 'redis');
    assert.equal(redis?.spec.template.spec.containers[0]?.resources?.limits?.memory, '1Gi');
    assert.deepEqual(restarted(h).slice(1), ['default/deployments/site', 'default/deployments/bot']);
    await settle(h.sim.world);
    const check = scenario?.recovered(h.sim.world);
    assert.equal(check?.ok, true, check?.detail);
  });
});

describe('redis-recover on a healthy cluster', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('changes nothing', async () => {
    const result = await runCli(['redis-recover', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.deepEqual(h.mutations(), []);
    assert.match(result.stdout, /deployment default\/redis: healthy/);
  });
});
