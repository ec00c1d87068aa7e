import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deleteDeployment,
  describeAction,
  detachVolume,
  forceDeletePod,
  scale,
} from '../../src/engine/vocabulary/index.js';

describe('what an action shows before it runs', () => {
  it('a scale shows before → after and the kubectl command', () => {
    const d = describeAction(scale({ namespace: 'default', kind: 'Deployment', name: 'postgres' }, 1, 0));
    assert.equal(d.before, '1 replica');
    assert.equal(d.after, '0 replicas');
    assert.equal(d.equivalent, 'kubectl -n default scale deployment/postgres --replicas=0');
    assert.equal(d.destructive, false);
    assert.equal(d.confirmName, undefined);
  });

  it('destructive actions ask for the name of what they destroy', () => {
    const pod = describeAction(forceDeletePod('default', 'postgres-abc', 'uid-1', 'node-a'));
    assert.equal(pod.destructive, true);
    assert.equal(pod.confirmName, 'postgres-abc');
    assert.equal(pod.equivalent, 'kubectl -n default delete pod/postgres-abc --force --grace-period=0');

    const deployment = describeAction(deleteDeployment('default', 'postgres', 1));
    assert.equal(deployment.confirmName, 'postgres');
    assert.equal(deployment.equivalent, 'kubectl -n default delete deployment/postgres');

    const volume = describeAction(detachVolume({ id: 42, label: 'pvcabc' }, 7, 'lke-node'));
    assert.equal(volume.confirmName, 'pvcabc');
    assert.match(volume.equivalent, /^POST \/v4\/volumes\/42\/detach/);
    assert.equal(volume.before, 'attached to Linode lke-node (7)');
  });
});
