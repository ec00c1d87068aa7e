// A bad night for the APIs too: 500s, 429s with Retry-After and latency at realistic rates. The
// runbook still completes, retrying only what is retryable, and applies each change once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness, readyReplicas } from '../helpers/sim.js';

describe('postgres-remount while the APIs fail now and then', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    h.sim.world.faults.add({
      kind: 'api-error',
      api: 'kubernetes',
      pathPattern: '^/api',
      status: 500,
      rate: 0.1,
    });
    h.sim.world.faults.add({
      kind: 'api-error',
      api: 'kubernetes',
      pathPattern: '^/apis',
      status: 429,
      rate: 0.05,
    });
    h.sim.world.faults.add({
      kind: 'api-error',
      api: 'linode',
      pathPattern: '^/v4/',
      status: 429,
      rate: 0.15,
    });
    h.sim.world.faults.add({ kind: 'latency', api: 'kubernetes', ms: 5 });
  });
  after(() => h.stop());

  it('completes, and each change reached the cluster exactly once', async () => {
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const failed = h.sim.requests.filter((r) => r.status === 500 || r.status === 429);
    assert.ok(failed.length > 0, 'faults were injected');
    const applied = (method: string, pattern: RegExp): number =>
      h.sim.requests.filter((r) => r.method === method && pattern.test(r.path) && r.status < 300).length;
    assert.equal(applied('PATCH', /\/deployments\/postgres\/scale$/), 2, 'scaled down once and up once');
    assert.equal(applied('DELETE', /\/pods\/postgres-/), 1);
    assert.equal(applied('POST', /^\/v4\/volumes\/\d+\/detach$/), 1);
    assert.equal(readyReplicas(h), 1);
  });
});
