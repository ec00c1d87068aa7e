// NodeBalancers through api-v4: configs and backends, whose status is the real API's `Unknown`
// until a check runs, and whose nodes_status follows after the health-check delay.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createNodeBalancerConfig,
  getNodeBalancerConfigNodes,
  getNodeBalancerConfigs,
  getNodeBalancers,
} from '@linode/api-v4';
import { expectHttpError, seed, startSim, waitFor, type Harness } from './harness.js';
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

  void it('creates a UDP config through api-v4, with the UDP defaults, and refuses what UDP does not take', async () => {
    // api-v4 joins address and port itself (its create type leaves `port` out, its code reads it).
    const backend = { label: 'node-0', address: '192.168.128.10', port: 31053, weight: 100 };
    const created = await createNodeBalancerConfig(nb.id, {
      port: 53,
      protocol: 'udp',
      udp_check_port: 8053,
      nodes: [backend],
    });
    assert.deepEqual(
      [
        created.protocol,
        created.udp_check_port,
        created.udp_session_timeout,
        created.cipher_suite,
        created.stickiness,
      ],
      ['udp', 8053, 16, 'none', 'session'],
    );
    const backends = (await getNodeBalancerConfigNodes(nb.id, created.id)).data;
    assert.deepEqual(
      backends.map((b) => [b.address, b.mode]),
      [['192.168.128.10:31053', 'none']],
    );
    assert.ok(
      (await getNodeBalancerConfigs(nb.id)).data.some((c) => c.id === created.id && c.protocol === 'udp'),
      'listed with the others',
    );
    const refused = await expectHttpError(
      // api-v4's own checks would refuse it first; the simulator must too.
      fetch(`${h.root}/v4/nodebalancers/${nb.id}/configs`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${h.sim.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ port: 5353, protocol: 'udp', proxy_protocol: 'v2' }),
      }).then(async (r) => {
        if (!r.ok)
          throw Object.assign(new Error(String(r.status)), {
            response: { status: r.status, data: await r.json() },
          });
        return r;
      }),
    );
    assert.equal(refused.status, 400);
    assert.equal(refused.errors[0]?.field, 'proxy_protocol');
  });
});
