// node-drain on a healthy cluster with a PodDisruptionBudget, under exactly its generated Role: it
// may evict in any namespace, so its evictions are granted by the ClusterRole.
import assert from 'node:assert/strict';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { describeUnderExactRole } from '../helpers/exact-role.js';
import type { SimHarness } from '../helpers/sim.js';

const nodeOfSite = (h: SimHarness): string => {
  const pod = h.sim.world.kube.list('v1', 'Pod', 'default').find((p) => p.metadata.labels?.app === 'site');
  const node = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
  assert.ok(node !== undefined, 'a site pod on a node');
  return node;
};

let node = '';

describeUnderExactRole(
  {
    runbook: 'node-drain',
    scenario: 'healthy',
    prepare: (h) => {
      h.sim.world.kube.create({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'site', namespace: 'default' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'site' } } },
      });
      node = nodeOfSite(h);
    },
    args: () => ['--node', node],
    without: { kind: 'ClusterRole', resource: 'pods/eviction' },
    check: (h) => {
      const left = h.sim.world.kube
        .list('v1', 'Pod')
        .filter(
          (p) =>
            (p.spec as { nodeName?: string }).nodeName === node && p.metadata.deletionTimestamp === undefined,
        );
      assert.deepEqual(
        left.map((p) => p.metadata.name),
        [],
        'the node was drained',
      );
    },
  },
  EXIT_CODES['missing-permission'],
);
