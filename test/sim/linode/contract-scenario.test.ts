// Contract test through the whole simulator (one loopback server, both APIs) on the 2021-01-30
// scenario: the NodeBalancer backends it reports DOWN (and Unknown) match the OpenAPI description,
// and an injected 429 comes from the Linode side with Linode's body and headers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeBalancerFailsMemory } from '../../../src/sim/scenarios/nodebalancer-fails-memory.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../../src/sim/server.js';
import type { Fault } from '../../../src/sim/world.js';
import { openContract } from './openapi.js';

const NODES_SPEC = '/{apiVersion}/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes';
const CONFIGS_SPEC = '/{apiVersion}/nodebalancers/{nodeBalancerId}/configs';

void describe('linode sim: the 2021-01-30 scenario against the OpenAPI description', async () => {
  const contract = await openContract();
  const skip = typeof contract === 'string' ? contract : false;
  if (skip !== false) console.log(`skipping the OpenAPI scenario contract test: ${skip}`);

  let sim: RunningSimulator;
  const get = async (path: string): Promise<{ status: number; headers: Headers; body: unknown }> => {
    const response = await fetch(`${sim.linodeApiUrl}${path}`, {
      headers: { Authorization: `Bearer ${sim.linodeToken}` },
    });
    const body: unknown = await response.json();
    return { status: response.status, headers: response.headers, body };
  };
  /** Every backend status of every config, checked against the spec, plus each config's nodes_status. */
  const backends = async (): Promise<
    Array<{ port: number; statuses: string[]; up: number; down: number }>
  > => {
    if (typeof contract === 'string') throw new Error(contract);
    const nbs = (await get('/nodebalancers')).body as { data: Array<{ id: number }> };
    const nb = nbs.data[0];
    assert.ok(nb, 'the scenario has a NodeBalancer');
    const configs = await get(`/nodebalancers/${nb.id}/configs`);
    contract.check(CONFIGS_SPEC, 'get', '200', configs.body, 'configs');
    const out = [];
    for (const config of (
      configs.body as {
        data: Array<{ id: number; port: number; nodes_status: { up: number; down: number } }>;
      }
    ).data) {
      const nodes = await get(`/nodebalancers/${nb.id}/configs/${config.id}/nodes`);
      // Backend status: the real API's "Unknown" stands where the spec says "unknown" (openapi.ts DIVERGENCES).
      contract.check(NODES_SPEC, 'get', '200', nodes.body, 'nbnodes');
      const statuses = (nodes.body as { data: Array<{ status: string }> }).data.map((n) => n.status);
      out.push({ port: config.port, statuses, ...config.nodes_status });
    }
    return out;
  };

  before(async () => {
    if (skip !== false) return;
    sim = await startSimulator({ world: scenarioLoader(nodeBalancerFailsMemory), speed: 'instant' });
  });
  after(() => (skip === false ? sim.stop() : undefined));

  void it('reports every backend DOWN on ports 80 and 443, as on the night', { skip }, async () => {
    assert.deepEqual(await backends(), [
      { port: 80, statuses: ['DOWN', 'DOWN'], up: 0, down: 2 },
      { port: 443, statuses: ['DOWN', 'DOWN'], up: 0, down: 2 },
    ]);
  });

  void it(
    'reports Unknown backends in the real spelling, and UP once the fault is lifted',
    { skip },
    async () => {
      const faults = sim.world.faults;
      const down = faults.list().find((f) => f.kind === 'nodebalancer-backends-down');
      assert.ok(down);
      faults.remove(down);
      const unknown: Fault = { ...down, port: 443, status: 'Unknown' };
      faults.add(unknown);
      assert.deepEqual(await backends(), [
        { port: 80, statuses: ['UP', 'UP'], up: 2, down: 0 },
        { port: 443, statuses: ['Unknown', 'Unknown'], up: 0, down: 2 },
      ]);
      faults.remove(unknown);
      faults.add(down);
    },
  );

  void it(
    'answers an injected 429 with Linode’s body, Retry-After and rate-limit headers',
    { skip },
    async () => {
      if (typeof contract === 'string') return;
      const fault: Fault = {
        kind: 'api-error',
        api: 'linode',
        pathPattern: '^/v4/volumes$',
        status: 429,
        rate: 1,
        retryAfterSeconds: 30,
      };
      sim.world.faults.add(fault);
      try {
        const limited = await get('/volumes');
        assert.deepEqual(
          [limited.status, limited.body],
          [429, { errors: [{ reason: 'Too many requests' }] }],
        );
        contract.check('/{apiVersion}/volumes', 'get', 'default', limited.body, 'error');
        assert.equal(limited.headers.get('retry-after'), '30');
        assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
        assert.equal(sim.requests.at(-1)?.status, 429);
      } finally {
        sim.world.faults.remove(fault);
      }
      assert.equal((await get('/volumes')).status, 200);
    },
  );
});
