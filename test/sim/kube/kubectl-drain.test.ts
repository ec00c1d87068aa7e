// kubectl 1.32 drain against a PodDisruptionBudget: evictions refused with 429 are retried every
// 5 s until --timeout; once the budget allows, the same drain finishes and the pod moves.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/world.js';
import { addNode, deployment, isReady, podsOf, startHarness, type Harness } from './harness.js';
import { createKubectl, kubectlMissing, type Kubectl } from './kubectl.js';

const nodeOf = (pod: KubeObject): string | undefined => (pod.spec as { nodeName?: string }).nodeName;

describe('kubectl 1.32 drain with a PodDisruptionBudget in the way', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;
  let guarded: string;
  let uid: string | undefined;

  const refusal = (pod: string): string =>
    `error when evicting pods/"${pod}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`;

  before(async () => {
    h = await startHarness();
    k = createKubectl(h.url);
    addNode(h, 'lke1-node-a', '172.105.1.1');
    h.sim.create(deployment('db', 1));
    const pod = await h.until('db Ready on node a', () => podsOf(h, 'db').find(isReady));
    guarded = pod.metadata.name;
    uid = pod.metadata.uid;
    // The second node comes after, so the pod is on a and its replacement has somewhere to go.
    addNode(h, 'lke1-node-b', '172.105.1.2');
    h.sim.create({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'db', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } },
    });
    await h.until('the budget allows nothing', () => {
      const pdb = h.sim.get('policy/v1', 'PodDisruptionBudget', 'default', 'db');
      return (pdb?.status as { currentHealthy?: number } | undefined)?.currentHealthy === 1;
    });
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('get pdb shows the budget that blocks', async () => {
    const out = await k.run('get', 'pdb');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\n/);
    assert.match(out.stdout, /\ndb\s+1\s+N\/A\s+0\s+\S+\n$/);
  });

  it('retries the refused eviction until --timeout, leaving the node cordoned and the pod in place', async () => {
    const out = await k.run('drain', 'lke1-node-a', '--ignore-daemonsets', '--timeout=2s');
    assert.equal(out.code, 1, out.stdout + out.stderr);
    assert.match(out.stdout, /^node\/lke1-node-a cordoned$/m);
    assert.match(out.stdout, new RegExp(`^evicting pod default/${guarded}$`, 'm'));
    assert.ok(out.stderr.includes(refusal(guarded)), out.stderr);
    assert.ok(
      out.stderr.includes(
        `error: unable to drain node "lke1-node-a" due to error: error when evicting pods/"${guarded}" -n "default": global timeout reached: 2s, continuing command...`,
      ),
      out.stderr,
    );
    const pod = h.sim.get('v1', 'Pod', 'default', guarded);
    assert.ok(pod, 'the protected pod is still there');
    assert.equal(pod.metadata.uid, uid);
    assert.equal(pod.metadata.deletionTimestamp, undefined);
    assert.ok(isReady(pod));
    assert.equal(nodeOf(pod), 'lke1-node-a');
    const node = h.sim.get('v1', 'Node', undefined, 'lke1-node-a');
    assert.equal((node?.spec as { unschedulable?: boolean }).unschedulable, true);
  });

  it('finishes once the budget allows: the retried eviction goes through and the pod moves', async () => {
    const drain = k.start('drain', 'lke1-node-a', '--ignore-daemonsets', '--timeout=40s');
    await drain.output(/will retry after 5s/);
    assert.ok(h.sim.get('v1', 'Pod', 'default', guarded), 'still refused');
    const relax = await h.request(
      'PATCH',
      '/apis/policy/v1/namespaces/default/poddisruptionbudgets/db',
      { spec: { minAvailable: 0 } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    assert.equal(relax.status, 200, relax.text);
    const out = await drain.done;
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.ok(out.stderr.includes(refusal(guarded)), out.stderr);
    assert.match(out.stdout, /^node\/lke1-node-a already cordoned$/m);
    assert.match(out.stdout, new RegExp(`^pod/${guarded} evicted$`, 'm'));
    assert.match(out.stdout, /^node\/lke1-node-a drained$/m);
    assert.equal(h.sim.get('v1', 'Pod', 'default', guarded), undefined);
    const moved = await h.until('the replacement Ready on node b', () =>
      podsOf(h, 'db').find((p) => isReady(p) && nodeOf(p) === 'lke1-node-b'),
    );
    assert.notEqual(moved.metadata.name, guarded);
    assert.deepEqual(
      h.sim.list('v1', 'Pod').filter((p) => nodeOf(p) === 'lke1-node-a'),
      [],
    );
  });
});
