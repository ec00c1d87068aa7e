// The redis-out-of-memory fault as an operator sees it through kubectl 1.32: the pod OOMKilled and
// crash-looping, Redis' last lines before the kill, and only past its limit.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { outgrowsLimit } from '../../../src/sim/kube/controllers/redis-memory.js';
import { settle } from '../../../src/sim/scenario.js';
import { type SimHarness, startSimHarness } from '../../helpers/sim.js';
import { KUBECTL, kubectlMissing, type KubectlResult } from './kubectl.js';

describe('redis-out-of-memory through kubectl 1.32', { skip: kubectlMissing }, () => {
  let h: SimHarness;
  const run = (...args: string[]): Promise<KubectlResult> =>
    new Promise((resolve) => {
      execFile(KUBECTL, ['--kubeconfig', h.kubeconfig, ...args], { timeout: 60_000 }, (e, stdout, stderr) =>
        resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, stdout, stderr }),
      );
    });
  before(async () => {
    h = await startSimHarness('2021-07-11-redis-out-of-memory');
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('shows Redis OOMKilled (exit 137) and crash-looping, its 512Mi limit beside it', async () => {
    const out = await run('describe', 'pods', '-l', 'app=redis');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Reason:\s+CrashLoopBackOff/);
    assert.match(out.stdout, /Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
    assert.match(out.stdout, /Limits:\n\s+memory:\s+512Mi/);
  });

  it('kubectl logs --previous ends on the save whose fork took Redis over its limit', async () => {
    const out = await run('logs', 'deploy/redis', '--previous');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /\* Background saving started by pid 27\n$/);
  });

  it('takes only Redis, and only past its limit: the site beside it runs', async () => {
    const site = await run(
      'get',
      'pods',
      '-l',
      'app=site',
      '-o',
      'jsonpath={.items[*].status.containerStatuses[0].ready}',
    );
    assert.equal(site.stdout, 'true true');
    const limited = [{ resources: { limits: { memory: '512Mi' } } }];
    assert.equal(outgrowsLimit(limited, '700Mi'), true);
    assert.equal(outgrowsLimit(limited, '400Mi'), false);
    assert.equal(outgrowsLimit([{}], '700Mi'), false, 'no limit: the node has room, assumed');
  });
});

describe('redis-out-of-memory switched on at run time (POST /_sim/faults)', () => {
  let h: SimHarness;
  const post = (body: unknown): Promise<{ status: number; error?: string }> =>
    fetch(`${h.sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      ...((await r.json()) as { error?: string }),
    }));
  before(async () => {
    h = await startSimHarness('healthy');
    await settle(h.sim.world);
  });
  after(() => h.stop());

  it('refuses a usedMemory that is not a quantity, and OOM-kills a Redis whose 1Gi limit it passes', async () => {
    const fault = { kind: 'redis-out-of-memory', namespace: 'default', labelSelector: 'app=redis' };
    const bad = await post({ ...fault, usedMemory: 'lots' });
    assert.equal(bad.status, 400);
    assert.match(bad.error ?? '', /usedMemory must be a memory quantity such as 1300Mi or 2Gi/);
    const taken = await post({ ...fault, usedMemory: '1500Mi' });
    assert.equal(taken.status, 201, taken.error);
    await settle(h.sim.world);
    const pods = h.sim.world.kube.list('v1', 'Pod').filter((p) => p.metadata.labels?.app === 'redis');
    assert.match(JSON.stringify(pods.map((p) => p.status)), /"reason":"OOMKilled"/);
  });
});
