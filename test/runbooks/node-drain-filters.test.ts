// kubectl drain's filters as node-drain applies them (runbooks/node-drain/pods.ts), pod by pod, and
// the two label forms of a Linode volume that volume-reattach reads back to a PersistentVolume.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod, V1PodDisruptionBudget } from '@kubernetes/client-node';
import { classifyPods } from '../../runbooks/node-drain/pods.js';
import { persistentVolumeOfLabel } from '../../runbooks/volume-reattach/find.js';

const ready = { conditions: [{ type: 'Ready', status: 'True' }], phase: 'Running' };
const pod = (name: string, extra: Partial<V1Pod> = {}): V1Pod => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    labels: { app: name },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${name}-abc`, uid: 'rs', controller: true },
    ],
    ...extra.metadata,
  },
  spec: { containers: [{ name: 'c' }], ...extra.spec },
  status: { ...ready, ...extra.status },
});

describe('node-drain filters', () => {
  const budgets: V1PodDisruptionBudget[] = [
    {
      metadata: { name: 'db', namespace: 'default' },
      spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] } },
      status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
    },
  ];
  const c = classifyPods(
    [
      pod('web'),
      pod('exporter', {
        metadata: {
          name: 'exporter',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'exporter', uid: 'ds', controller: true },
          ],
        },
      }),
      pod('static', { metadata: { name: 'static', annotations: { 'kubernetes.io/config.mirror': 'x' } } }),
      pod('cache', { spec: { containers: [{ name: 'c' }], volumes: [{ name: 'tmp', emptyDir: {} }] } }),
      pod('shell', { metadata: { name: 'shell', ownerReferences: [] } }),
      pod('db'),
      pod('going', { metadata: { name: 'going', deletionTimestamp: new Date() } }),
    ],
    budgets,
  );

  it('skips DaemonSet and mirror pods, saying why; a terminating one is not evicted but not done with', () => {
    assert.deepEqual(c.skipped, [
      'default/exporter: DaemonSet exporter runs one on every node',
      'default/static: mirror pod of a static pod (the kubelet owns it)',
    ]);
    assert.deepEqual(
      c.terminating.map((p) => p.metadata?.name),
      ['going'],
    );
    assert.ok(!c.evict.some((p) => p.name === 'going'));
  });

  it('flags emptyDir data and pods without a controller, and a budget that needs every pod it has', () => {
    assert.deepEqual(c.emptyDir, ['default/cache']);
    assert.deepEqual(c.unreplicated, ['default/shell']);
    assert.equal(c.deadlocked.length, 1);
    assert.match(c.deadlocked[0] ?? '', /^default\/db \(PodDisruptionBudget default\/db allows 0 disruption/);
    assert.deepEqual(
      c.evict.map((p) => `${p.name}:${p.owner}`),
      ['web:replicaset web-abc', 'cache:replicaset cache-abc', 'shell:no controller', 'db:replicaset db-abc'],
    );
  });
});

describe('Linode volume labels', () => {
  it('reads both CSI label forms back to the PersistentVolume name', () => {
    assert.equal(persistentVolumeOfLabel('pvcbb1d06139b334c1f'), 'pvc-bb1d06139b334c1f');
    assert.equal(persistentVolumeOfLabel('pvc-bb1d06139b334c1f'), 'pvc-bb1d06139b334c1f');
    assert.equal(persistentVolumeOfLabel('backups'), undefined);
  });
});
