// NodeBalancers through api-v4: configs and backends, whose status is the real API's `Unknown`
// until a check runs, and whose nodes_status follows after the health-check delay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getNodeBalancerConfigNodes, getNodeBalancerConfigs, getNodeBalancers } from '@linode/api-v4';
import { seed, startSim, waitFor, type Harness } from './harness.js';
import type { CreatedNodeBalancer } from '../../../src/sim/linode/index.js';

void describe('linode sim: NodeBalancers', () => {
  let h: Harness;
  let nb: CreatedNodeBalancer;
  let clusterId: number;

  before(async () => {
    h = await startSim();
    clusterId = seed(h.sim).clusterId;
    nb = h.sim.createNodeBalancer({
      label: 'ccm-pydis-ingress',
      ipv4: '172.104.2.50',
      lkeClusterId: clusterId,
      configs: [
        {
          port: 443,
          nodes: [
            { label: 'node-0', address: '192.168.128.10:31443' },
            { label: 'node-1', address: '192.168.128.11:31443', status: 'UP' },
          ],
        },
      ],
    });
  });
  after(() => h.close());

  void it('lists NodeBalancers with their LKE cluster', async () => {
    const page = await getNodeBalancers();
    assert.equal(page.results, 1);
    assert.equal(page.data[0]?.label, 'ccm-pydis-ingress');
    assert.equal(page.data[0]?.lke_cluster?.id, clusterId);
    assert.equal(page.data[0]?.hostname, 'nb-172-104-2-50.eu-central.nodebalancer.linode.com');
  });

  void it('reports backend status Unknown (the real spelling), and nodes_status after checks', async () => {
    const configId = nb.configs[0]?.id ?? 0;
    const nodes = await getNodeBalancerConfigNodes(nb.id, configId);
    assert.deepEqual(
      nodes.data.map((n) => n.status as string),
      ['Unknown', 'UP'],
    );
    assert.equal(nodes.data[0]?.address, '192.168.128.10:31443');
    const config = (await getNodeBalancerConfigs(nb.id)).data[0];
    assert.deepEqual(config?.nodes_status, { up: 1, down: 1 });

    h.sim.setNodeBalancerNodeStatus(nb.configs[0]?.nodeIds[1] ?? 0, 'DOWN');
    assert.equal((await getNodeBalancerConfigNodes(nb.id, configId)).data[1]?.status, 'DOWN');
    await waitFor('nodes_status to follow', async () => {
      const status = (await getNodeBalancerConfigs(nb.id)).data[0]?.nodes_status;
      return status?.up === 0 && status.down === 2;
    });
  });
});
