// k8s.delete-pod end to end through the executor against the simulator loaded with the team-repo
// fixture, whose Redis is a StatefulSet: a dry run deletes nothing, the pod the plan read is deleted
// within its grace period and its controller makes it again under the same name (the pod-replaced
// wait sees the new one Ready), and a pod made again since (another uid) is left alone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectTarget } from '../../src/cli/target.js';
import { executeAction } from '../../src/engine/executor.js';
import type { Readers, Writers } from '../../src/engine/ports.js';
import { deletePod, evaluateWait, podReplaced } from '../../src/engine/vocabulary/index.js';
import { manifestsLoader } from '../../src/sim/load.js';
import { settle } from '../../src/sim/scenario.js';
import { ROOT } from '../helpers/cli.js';
import { type SimHarness, startWorldHarness } from '../helpers/sim.js';

const TEAM_REPO = join(ROOT, 'test', 'fixtures', 'team-repo');

describe('k8s.delete-pod on the simulator, a StatefulSet pod', () => {
  let h: SimHarness;
  let write: Writers;
  let read: Readers;
  const redis0 = () => h.sim.world.kube.get('v1', 'Pod', 'default', 'redis-0');
  before(async () => {
    h = await startWorldHarness(manifestsLoader(TEAM_REPO));
    await settle(h.sim.world);
    ({ write, read } = await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() }));
  });
  after(() => h.stop());

  const replaced = (uid: string) =>
    podReplaced({
      namespace: 'default',
      name: 'redis-0',
      uid,
      labelSelector: 'app=redis',
      timeoutMs: 60_000,
    });

  it('deletes nothing in a dry run', async () => {
    const uid = redis0()?.metadata.uid ?? '';
    assert.notEqual(uid, '');
    const action = deletePod({
      namespace: 'default',
      name: 'redis-0',
      uid,
      gracePeriodSeconds: 30,
      reason: 'test',
    });
    await executeAction(action, write, { dryRun: true });
    await settle(h.sim.world);
    assert.equal(redis0()?.metadata.uid, uid);
    assert.equal(redis0()?.metadata.deletionTimestamp, undefined, 'a dry run left the pod alone');
    assert.deepEqual(h.mutations(), []);
  });

  it('deletes the pod the plan read with its grace period; the StatefulSet makes redis-0 again, Ready', async () => {
    const uid = redis0()?.metadata.uid ?? '';
    const action = deletePod({
      namespace: 'default',
      name: 'redis-0',
      uid,
      gracePeriodSeconds: 30,
      reason: 'test',
    });
    await executeAction(action, write);
    const deleting = redis0();
    assert.equal(deleting?.metadata.uid, uid);
    assert.notEqual(deleting?.metadata.deletionTimestamp, undefined, 'terminating, not gone at once');
    assert.equal(deleting?.metadata.deletionGracePeriodSeconds, 30);
    assert.match(JSON.stringify(await evaluateWait(replaced(uid), read)), /terminating|deleted one/);

    await settle(h.sim.world);
    const again = redis0();
    assert.ok(again !== undefined, 'the StatefulSet made redis-0 again');
    assert.notEqual(again.metadata.uid, uid);
    assert.deepEqual(await evaluateWait(replaced(uid), read), {
      outcome: { status: 'met', detail: 'default/redis-0 is a new pod and Ready' },
    });
  });

  it('leaves alone a pod made again since the plan read it', async () => {
    const uid = redis0()?.metadata.uid ?? '';
    const stale = deletePod({
      namespace: 'default',
      name: 'redis-0',
      uid: 'uid-of-an-older-pod',
      reason: 'test',
    });
    await assert.rejects(executeAction(stale, write));
    assert.equal(redis0()?.metadata.uid, uid);
    assert.equal(redis0()?.metadata.deletionTimestamp, undefined);
  });

  it('refuses a grace period under one second: that is a force delete', () => {
    assert.throws(
      () =>
        deletePod({ namespace: 'default', name: 'redis-0', uid: 'u', gracePeriodSeconds: 0, reason: 'test' }),
      /force-delete-pod/,
    );
  });
});
