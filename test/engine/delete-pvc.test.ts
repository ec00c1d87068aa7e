// The newest kind of change, k8s.delete-pvc, end to end through the executor against the simulator:
// a dry run deletes nothing, the claim the plan read is deleted, and a claim made again since (another
// uid) is left alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectTarget } from '../../src/cli/target.js';
import { executeAction } from '../../src/engine/executor.js';
import type { Writers } from '../../src/engine/ports.js';
import { apply, deletePvc } from '../../src/engine/vocabulary/index.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const claim = {
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'scratch', namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
};

describe('k8s.delete-pvc on the simulator', () => {
  let h: SimHarness;
  let write: Writers;
  const scratch = () => h.sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', 'scratch');
  before(async () => {
    h = await startSimHarness('healthy');
    write = (await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() })).write;
    await executeAction(apply(claim, 'scratch.yaml'), write);
  });
  after(() => h.stop());

  it('deletes nothing in a dry run, and deletes the claim the plan read', async () => {
    const uid = scratch()?.metadata.uid ?? '';
    assert.notEqual(uid, '');
    await executeAction(deletePvc('default', 'scratch', uid, undefined), write, { dryRun: true });
    assert.equal(scratch()?.metadata.deletionTimestamp, undefined, 'a dry run left the claim alone');

    await executeAction(deletePvc('default', 'scratch', uid, undefined), write);
    const left = scratch();
    assert.ok(left === undefined || left.metadata.deletionTimestamp !== undefined, 'the claim is deleted');
  });

  it('leaves alone a claim made again since the plan read it', async () => {
    await executeAction(
      apply({ ...claim, metadata: { ...claim.metadata, name: 'again' } }, 'again.yaml'),
      write,
    );
    await assert.rejects(
      executeAction(deletePvc('default', 'again', 'uid-of-an-older-claim', undefined), write),
    );
    const again = h.sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', 'again');
    assert.equal(again?.metadata.deletionTimestamp, undefined);
  });
});
