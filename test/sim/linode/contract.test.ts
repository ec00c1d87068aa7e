// Contract test: every route the simulated Linode API serves answers, on /v4 and on /v4beta, with a
// body matching the 200 response of Linode's OpenAPI description and with the OAuth scopes the
// description asks (X-Accepted-OAuth-Scopes). A route added without a case here fails the test.
// Skipped, with the reason, where ../shared (the saved description) is absent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSimClock } from '../../../src/sim/clock.js';
import { createRoutes } from '../../../src/sim/linode/routes.js';
import { createStore } from '../../../src/sim/linode/store.js';
import { createFaultSet } from '../../../src/sim/world.js';
import { manualClock, raw, seed, startSim, type Harness } from './harness.js';
import { openContract, type Method } from './openapi.js';

interface Request {
  path: string;
  body?: unknown;
}

interface Case {
  /** The spec's path for the operation. */
  spec: string;
  /** The entity name the body is checked as (plural for a page). */
  name: string;
  /** One request under /v4 and one under /v4beta (paths after the prefix). */
  requests: () => [Request, Request];
}

/** Both prefixes on the same path, for reads. */
const both = (path: string): [Request, Request] => [{ path }, { path }];

void describe('linode sim: every route against the OpenAPI description', async () => {
  const contract = await openContract();
  const skip = typeof contract === 'string' ? contract : false;
  if (skip !== false) console.log(`skipping the OpenAPI contract test: ${skip}`);

  let h: Harness;
  let ids: ReturnType<typeof seed>;
  let nb: { id: number; configs: Array<{ id: number }> };
  /** Spare objects for the routes that change something, one per prefix. */
  const spare = { linodes: [] as number[], volumes: [] as number[] };
  const id = (list: number[], index: number): number => list[index] ?? 0;

  before(async () => {
    if (skip !== false) return;
    h = await startSim({
      clock: manualClock(),
      detachDelayMs: 5000,
      powerDelayMs: 20_000,
      recycleDelayMs: 60_000,
    });
    ids = seed(h.sim);
    nb = h.sim.createNodeBalancer({
      label: 'ccm-ingress',
      ipv4: '172.104.2.50',
      lkeClusterId: ids.clusterId,
      configs: [
        {
          port: 443,
          nodes: [
            { label: 'node-0', address: '192.168.128.10:31443' },
            { label: 'node-1', address: '192.168.128.11:31443', status: 'UP' },
            { label: 'node-2', address: '192.168.128.12:31443', status: 'DOWN' },
          ],
        },
      ],
    });
    for (let i = 0; i < 6; i++)
      spare.linodes.push(h.sim.createInstance({ label: `power-${i}`, ipv4: `172.104.3.${10 + i}` }).id);
    for (let i = 0; i < 6; i++) spare.volumes.push(h.sim.createVolume({ label: `spare-${i}`, size: 10 }).id);
    // Pool node 0 mid-recycle: not_ready, instance_id null (its old Linode deleted at 40%).
    await raw(h.root, `/v4/lke/clusters/${ids.clusterId}/nodes/${ids.nodeIds[0]}/recycle`, {
      method: 'POST',
      token: h.sim.token,
    });
    h.clock.settle(1000);
    h.clock.settle(25_000);
  });
  after(() => (skip === false ? h.close() : undefined));

  const CASES: Record<string, Case> = {
    'GET /account': { spec: '/{apiVersion}/account', name: 'account', requests: () => both('/account') },
    'GET /profile': { spec: '/{apiVersion}/profile', name: 'profile', requests: () => both('/profile') },
    'GET /linode/instances': {
      spec: '/{apiVersion}/linode/instances',
      name: 'linodes',
      requests: () => both('/linode/instances'),
    },
    'GET /linode/instances/:id': {
      spec: '/{apiVersion}/linode/instances/{linodeId}',
      name: 'linode',
      requests: () => both(`/linode/instances/${id(ids.linodeIds, 1)}`),
    },
    'GET /linode/instances/:id/volumes': {
      spec: '/{apiVersion}/linode/instances/{linodeId}/volumes',
      name: 'volumes',
      requests: () => both(`/linode/instances/${id(ids.linodeIds, 1)}/volumes`),
    },
    ...Object.fromEntries(
      (['boot', 'reboot', 'shutdown'] as const).map((action, i): [string, Case] => [
        `POST /linode/instances/:id/${action}`,
        {
          spec: `/{apiVersion}/linode/instances/{linodeId}/${action}`,
          name: action,
          requests: () => [
            { path: `/linode/instances/${id(spare.linodes, 2 * i)}/${action}`, body: {} },
            { path: `/linode/instances/${id(spare.linodes, 2 * i + 1)}/${action}`, body: {} },
          ],
        },
      ]),
    ),
    'GET /volumes': { spec: '/{apiVersion}/volumes', name: 'volumes', requests: () => both('/volumes') },
    'GET /volumes/:id': {
      spec: '/{apiVersion}/volumes/{volumeId}',
      name: 'volume',
      requests: () => both(`/volumes/${id(ids.volumeIds, 1)}`),
    },
    'POST /volumes/:id/attach': {
      spec: '/{apiVersion}/volumes/{volumeId}/attach',
      name: 'volume',
      requests: () => [
        { path: `/volumes/${id(spare.volumes, 0)}/attach`, body: { linode_id: id(ids.linodeIds, 2) } },
        { path: `/volumes/${id(spare.volumes, 1)}/attach`, body: { linode_id: id(ids.linodeIds, 2) } },
      ],
    },
    'POST /volumes/:id/detach': {
      spec: '/{apiVersion}/volumes/{volumeId}/detach',
      name: 'detach',
      requests: () => [
        { path: `/volumes/${id(spare.volumes, 0)}/detach`, body: {} },
        { path: `/volumes/${id(spare.volumes, 1)}/detach`, body: {} },
      ],
    },
    'DELETE /volumes/:id': {
      spec: '/{apiVersion}/volumes/{volumeId}',
      name: 'delete',
      requests: () => [
        { path: `/volumes/${id(spare.volumes, 2)}` },
        { path: `/volumes/${id(spare.volumes, 3)}` },
      ],
    },
    'POST /volumes': {
      spec: '/{apiVersion}/volumes',
      name: 'volume',
      requests: () => [
        { path: '/volumes', body: { label: 'made-0', size: 20, region: 'eu-central' } },
        { path: '/volumes', body: { label: 'made-1', size: 20, region: 'eu-central' } },
      ],
    },
    'POST /volumes/:id/clone': {
      spec: '/{apiVersion}/volumes/{volumeId}/clone',
      name: 'volume',
      requests: () => [
        { path: `/volumes/${id(spare.volumes, 4)}/clone`, body: { label: 'clone-0' } },
        { path: `/volumes/${id(spare.volumes, 4)}/clone`, body: { label: 'clone-1' } },
      ],
    },
    'POST /volumes/:id/resize': {
      spec: '/{apiVersion}/volumes/{volumeId}/resize',
      name: 'volume',
      requests: () => [
        { path: `/volumes/${id(spare.volumes, 5)}/resize`, body: { size: 20 } },
        { path: `/volumes/${id(spare.volumes, 4)}/resize`, body: { size: 20 } },
      ],
    },
    'GET /lke/clusters': {
      spec: '/{apiVersion}/lke/clusters',
      name: 'clusters',
      requests: () => both('/lke/clusters'),
    },
    'GET /lke/clusters/:id': {
      spec: '/{apiVersion}/lke/clusters/{clusterId}',
      name: 'cluster',
      requests: () => both(`/lke/clusters/${ids.clusterId}`),
    },
    'GET /lke/clusters/:id/pools': {
      spec: '/{apiVersion}/lke/clusters/{clusterId}/pools',
      name: 'pools',
      requests: () => both(`/lke/clusters/${ids.clusterId}/pools`),
    },
    'GET /lke/clusters/:id/pools/:pool': {
      spec: '/{apiVersion}/lke/clusters/{clusterId}/pools/{poolId}',
      name: 'pool',
      requests: () => both(`/lke/clusters/${ids.clusterId}/pools/${ids.poolId}`),
    },
    'GET /lke/clusters/:id/nodes/*node': {
      spec: '/{apiVersion}/lke/clusters/{clusterId}/nodes/{nodeId}',
      name: 'node',
      // Node 0 is mid-recycle (instance_id null), node 1 is ready.
      requests: () => [
        { path: `/lke/clusters/${ids.clusterId}/nodes/${ids.nodeIds[0] ?? ''}` },
        { path: `/lke/clusters/${ids.clusterId}/nodes/${ids.nodeIds[1] ?? ''}` },
      ],
    },
    'POST /lke/clusters/:id/nodes/*node/recycle': {
      spec: '/{apiVersion}/lke/clusters/{clusterId}/nodes/{nodeId}/recycle',
      name: 'recycle',
      // A recycle already running answers 200 {} again.
      requests: () => [
        { path: `/lke/clusters/${ids.clusterId}/nodes/${ids.nodeIds[2] ?? ''}/recycle`, body: {} },
        { path: `/lke/clusters/${ids.clusterId}/nodes/${ids.nodeIds[0] ?? ''}/recycle`, body: {} },
      ],
    },
    'GET /nodebalancers': {
      spec: '/{apiVersion}/nodebalancers',
      name: 'nodebalancers',
      requests: () => both('/nodebalancers'),
    },
    'GET /nodebalancers/:id': {
      spec: '/{apiVersion}/nodebalancers/{nodeBalancerId}',
      name: 'nodebalancer',
      requests: () => both(`/nodebalancers/${nb.id}`),
    },
    'GET /nodebalancers/:id/configs': {
      spec: '/{apiVersion}/nodebalancers/{nodeBalancerId}/configs',
      name: 'configs',
      requests: () => both(`/nodebalancers/${nb.id}/configs`),
    },
    'POST /nodebalancers/:id/configs': {
      spec: '/{apiVersion}/nodebalancers/{nodeBalancerId}/configs',
      name: 'config',
      requests: () => [
        { path: `/nodebalancers/${nb.id}/configs`, body: { port: 8081, protocol: 'tcp' } },
        {
          path: `/nodebalancers/${nb.id}/configs`,
          body: { port: 8082, protocol: 'http', check: 'http', check_path: '/' },
        },
      ],
    },
    'GET /nodebalancers/:id/configs/:config': {
      spec: '/{apiVersion}/nodebalancers/{nodeBalancerId}/configs/{configId}',
      name: 'config',
      requests: () => both(`/nodebalancers/${nb.id}/configs/${nb.configs[0]?.id ?? 0}`),
    },
    'GET /nodebalancers/:id/configs/:config/nodes': {
      spec: '/{apiVersion}/nodebalancers/{nodeBalancerId}/configs/{configId}/nodes',
      // Unknown (the real spelling, see openapi.ts DIVERGENCES), UP and DOWN backends.
      name: 'nbnodes',
      requests: () => both(`/nodebalancers/${nb.id}/configs/${nb.configs[0]?.id ?? 0}/nodes`),
    },
    'GET /account/events': {
      spec: '/{apiVersion}/account/events',
      name: 'events',
      requests: () => both('/account/events'),
    },
    'GET /account/events/:id': {
      spec: '/{apiVersion}/account/events/{eventId}',
      name: 'event',
      requests: () => {
        const first = h.sim.events()[0]?.id ?? 0;
        return both(`/account/events/${first}`);
      },
    },
  };

  void it('has a case for every route the simulator serves, and nothing else', { skip }, () => {
    const store = createStore({
      clock: createSimClock(),
      faults: createFaultSet(),
      region: 'eu-central',
      username: 'u',
      delays: { attachMs: 1, detachMs: 1, powerMs: 1, recycleMs: 1, nbCheckMs: 1 },
    });
    const served = createRoutes(store).map((r) => `${r.method} ${r.template}`);
    assert.deepEqual([...served].sort(), Object.keys(CASES).sort());
  });

  for (const [route, c] of Object.entries(CASES)) {
    const method = route.split(' ')[0]?.toLowerCase() as Method;
    void it(`${route} on /v4 and /v4beta`, { skip }, async () => {
      if (typeof contract === 'string') return;
      const [v4, beta] = c.requests();
      for (const [prefix, request] of [
        ['/v4', v4],
        ['/v4beta', beta],
      ] as const) {
        const response = await raw(h.root, `${prefix}${request.path}`, {
          method: method.toUpperCase(),
          token: h.sim.token,
          headers: { 'Content-Type': 'application/json' },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        });
        assert.equal(response.status, 200, `${prefix}${request.path}: ${JSON.stringify(response.body)}`);
        contract.check(c.spec, method, '200', response.body, c.name);
        assert.equal(
          response.headers.get('x-accepted-oauth-scopes') ?? '',
          contract.scopes(c.spec, method),
          `${route}: X-Accepted-OAuth-Scopes`,
        );
        assert.equal(response.headers.get('x-oauth-scopes'), '*');
      }
    });
  }

  void it('serves events in every status, each one matching the spec', { skip }, async () => {
    if (typeof contract === 'string') return;
    const label = h.sim.volume(id(ids.volumeIds, 1))?.label ?? '';
    h.faults.add({ kind: 'linode-event-fails', action: 'volume_detach', entityLabel: label });
    await raw(h.root, `/v4/volumes/${id(ids.volumeIds, 1)}/detach`, { method: 'POST', token: h.sim.token });
    h.clock.settle(25_000); // the detach failed; the boot, reboot and shutdown of the route cases finished
    await raw(h.root, `/v4/linode/instances/${id(spare.linodes, 1)}/reboot`, {
      method: 'POST',
      token: h.sim.token,
    });
    h.clock.settle(5000); // started
    await raw(h.root, `/v4/linode/instances/${id(spare.linodes, 3)}/reboot`, {
      method: 'POST',
      token: h.sim.token,
    });
    const list = (await raw(h.root, '/v4/account/events?page_size=500', { token: h.sim.token })).body;
    contract.check('/{apiVersion}/account/events', 'get', '200', list, 'events');
    const events = (list as { data: Array<{ id: number; status: string }> }).data;
    assert.deepEqual([...new Set(events.map((e) => e.status))].sort(), [
      'failed',
      'finished',
      'notification',
      'scheduled',
      'started',
    ]);
    for (const event of events) {
      const one = await raw(h.root, `/v4/account/events/${event.id}`, { token: h.sim.token });
      contract.check('/{apiVersion}/account/events/{eventId}', 'get', '200', one.body, 'event');
    }
  });
});
