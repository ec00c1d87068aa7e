// node-uncordon on a healthy cluster with one node cordoned, under exactly its generated Role.
import assert from 'node:assert/strict';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { describeUnderExactRole } from '../helpers/exact-role.js';
import type { SimHarness } from '../helpers/sim.js';

interface NodeShape {
  metadata: { name: string };
  spec?: { unschedulable?: boolean };
}

let node = '';
const cordoned = (h: SimHarness): boolean =>
  h.get<NodeShape>('v1', 'Node', undefined, node)?.spec?.unschedulable === true;

describeUnderExactRole(
  {
    runbook: 'node-uncordon',
    scenario: 'healthy',
    prepare: (h) => {
      const [first] = h.sim.world.kube.list('v1', 'Node');
      assert.ok(first !== undefined, 'a node');
      node = first.metadata.name;
      const spec = (first as NodeShape).spec ?? {};
      h.sim.world.kube.restore({ ...first, spec: { ...spec, unschedulable: true } });
      assert.ok(cordoned(h));
    },
    args: () => ['--node', node],
    without: { kind: 'ClusterRole', resource: 'nodes' },
    check: (h) => {
      assert.equal(cordoned(h), false, 'the node takes pods again');
    },
  },
  EXIT_CODES['missing-permission'],
);
