// LKE through api-v4: clusters, pools with string node ids, one node (no api-v4 wrapper), and a
// recycle that replaces the node's Linode and auto-detaches its volumes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  baseRequest,
  getKubernetesCluster,
  getKubernetesClusters,
  getNodePools,
  getVolume,
  recycleNode,
} from '@linode/api-v4';
import { expectHttpError, raw, seed, startSim, waitFor, type Harness } from './harness.js';

void describe('linode sim: LKE', () => {
  let h: Harness;
  let ids: ReturnType<typeof seed>;

  before(async () => {
    h = await startSim();
    ids = seed(h.sim);
  });
  after(() => h.close());

  void it('lists and gets clusters', async () => {
    const page = await getKubernetesClusters();
    assert.equal(page.results, 1);
    const cluster = await getKubernetesCluster(ids.clusterId);
    assert.equal(cluster.label, 'pydis-k8s');
    assert.equal(cluster.region, 'eu-central');
    assert.equal(cluster.k8s_version, '1.32');
    assert.equal(cluster.control_plane.high_availability, false);
    assert.equal(cluster.status, 'ready');
  });

  void it('lists pools whose nodes have string ids "<poolId>-<hex>"', async () => {
    const pools = await getNodePools(ids.clusterId);
    assert.equal(pools.results, 1);
    const pool = pools.data[0];
    assert.ok(pool);
    assert.equal(pool.id, ids.poolId);
    assert.equal(pool.count, 3);
    assert.equal(pool.type, 'g6-standard-4');
    for (const node of pool.nodes) {
      assert.equal(typeof node.id, 'string');
      assert.match(node.id, new RegExp(`^${ids.poolId}-[0-9a-f]{12}$`));
      assert.equal(node.status, 'ready');
    }
    assert.deepEqual(
      pool.nodes.map((n) => n.instance_id),
      ids.linodeIds,
    );
  });

  void it('gets one node through baseRequest (api-v4 has no wrapper)', async () => {
    const nodeId = ids.nodeIds[0] ?? '';
    const response = await baseRequest.get<{ id: string; instance_id: number; status: string }>(
      `https://api.linode.com/v4/lke/clusters/${ids.clusterId}/nodes/${nodeId}`,
    );
    assert.deepEqual(response.data, { id: nodeId, instance_id: ids.linodeIds[0], status: 'ready' });
    const missing = await raw(h.root, `/v4/lke/clusters/${ids.clusterId}/nodes/nope`, { token: h.sim.token });
    assert.equal(missing.status, 404);
  });

  void it('recycles a node: a new Linode, the old one gone, its volume detached', async () => {
    const nodeId = ids.nodeIds[0] ?? '';
    const oldLinode = ids.linodeIds[0] ?? 0;
    assert.deepEqual(await recycleNode(ids.clusterId, nodeId), {});
    const during = (await getNodePools(ids.clusterId)).data[0]?.nodes.find((n) => n.id === nodeId);
    assert.equal(during?.status, 'not_ready');
    await waitFor('node ready again', async () => {
      const node = (await getNodePools(ids.clusterId)).data[0]?.nodes.find((n) => n.id === nodeId);
      return node?.status === 'ready';
    });
    const node = (await getNodePools(ids.clusterId)).data[0]?.nodes.find((n) => n.id === nodeId);
    assert.ok(node?.instance_id !== null && node?.instance_id !== oldLinode);
    const replacement = h.sim.instance(node?.instance_id ?? 0);
    assert.equal(replacement?.status, 'running');
    assert.equal(replacement?.lke_cluster_id, ids.clusterId);
    assert.equal(h.sim.instance(oldLinode), undefined);
    assert.equal((await getVolume(ids.volumeIds[0] ?? 0)).linode_id, null);
    const error = await expectHttpError(recycleNode(ids.clusterId, 'no-such-node'));
    assert.equal(error.status, 404);
  });
});
