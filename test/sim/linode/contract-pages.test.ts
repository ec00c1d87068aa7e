// Contract test for Linode's page envelope ({data, page, pages, results}) under X-Filter: the
// envelope counts what the filter kept, pages split it by page_size, an empty result is the real
// API's {"data":[],"page":1,"pages":1,"results":0}, and every page matches the OpenAPI description.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { manualClock, raw, seed, startSim, type Harness } from './harness.js';
import { openContract } from './openapi.js';

interface Page {
  data: Array<Record<string, unknown>>;
  page: number;
  pages: number;
  results: number;
}

void describe('linode sim: page envelopes with X-Filter against the OpenAPI description', async () => {
  const contract = await openContract();
  const skip = typeof contract === 'string' ? contract : false;
  if (skip !== false) console.log(`skipping the OpenAPI page contract test: ${skip}`);

  let h: Harness;
  let ids: ReturnType<typeof seed>;

  before(async () => {
    if (skip !== false) return;
    h = await startSim({ clock: manualClock(), powerDelayMs: 20_000 });
    ids = seed(h.sim);
    for (let i = 0; i < 30; i++)
      h.sim.createVolume({ label: `bulk-${String(i).padStart(2, '0')}`, size: 10 });
  });
  after(() => (skip === false ? h.close() : undefined));

  /** GET `path` with X-Filter `filter`, checked against the spec's 200 response of `specPath`. */
  const page = async (specPath: string, path: string, filter: unknown, name: string): Promise<Page> => {
    if (typeof contract === 'string') throw new Error(contract);
    const response = await raw(h.root, path, {
      token: h.sim.token,
      headers: { 'X-Filter': JSON.stringify(filter) },
    });
    assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
    contract.check(specPath, 'get', '200', response.body, name);
    return response.body as Page;
  };

  void it('counts and pages what the filter kept, in the filter’s order', { skip }, async () => {
    const filter = { label: { '+contains': 'bulk' }, '+order_by': 'label', '+order': 'desc' };
    const first = await page('/{apiVersion}/volumes', '/v4/volumes?page_size=25', filter, 'volumes');
    assert.deepEqual([first.page, first.pages, first.results, first.data.length], [1, 2, 30, 25]);
    assert.equal(first.data[0]?.['label'], 'bulk-29');
    const second = await page(
      '/{apiVersion}/volumes',
      '/v4beta/volumes?page_size=25&page=2',
      filter,
      'volumes',
    );
    assert.deepEqual([second.page, second.pages, second.results, second.data.length], [2, 2, 30, 5]);
    assert.equal(second.data.at(-1)?.['label'], 'bulk-00');
    const all = await page(
      '/{apiVersion}/volumes',
      '/v4/volumes',
      { '+or': [{ label: 'bulk-03' }, { label: 'bulk-07' }] },
      'volumes',
    );
    assert.deepEqual(
      [all.page, all.pages, all.results, all.data.map((v) => v['label'])],
      [1, 1, 2, ['bulk-03', 'bulk-07']],
    );
  });

  void it(
    'answers an empty result with the real envelope on every filterable collection',
    { skip },
    async () => {
      const empty = { data: [], page: 1, pages: 1, results: 0 };
      const collections: Array<[string, string, unknown, string]> = [
        ['/{apiVersion}/volumes', '/v4/volumes', { label: 'none' }, 'volumes'],
        ['/{apiVersion}/linode/instances', '/v4/linode/instances', { label: 'none' }, 'linodes'],
        [
          '/{apiVersion}/linode/instances/{linodeId}/volumes',
          `/v4/linode/instances/${ids.linodeIds[0] ?? 0}/volumes`,
          { label: 'none' },
          'volumes',
        ],
        ['/{apiVersion}/lke/clusters', '/v4beta/lke/clusters', { label: 'none' }, 'clusters'],
        [
          '/{apiVersion}/lke/clusters/{clusterId}/pools',
          `/v4beta/lke/clusters/${ids.clusterId}/pools`,
          { id: 1 },
          'pools',
        ],
        ['/{apiVersion}/nodebalancers', '/v4/nodebalancers', { label: 'none' }, 'nodebalancers'],
        ['/{apiVersion}/account/events', '/v4/account/events', { action: 'volume_delete' }, 'events'],
      ];
      for (const [specPath, path, filter, name] of collections)
        assert.deepEqual(await page(specPath, path, filter, name), empty, path);
    },
  );

  void it(
    'filters events as linodego and Cloud Manager do: dotted keys, +gte on created',
    { skip },
    async () => {
      const linodeId = ids.linodeIds[1] ?? 0;
      await raw(h.root, `/v4/linode/instances/${linodeId}/boot`, { method: 'POST', token: h.sim.token });
      await raw(h.root, `/v4/linode/instances/${ids.linodeIds[2] ?? 0}/boot`, {
        method: 'POST',
        token: h.sim.token,
      });
      // linodego's event poller (fixture TestEventPoller_InstancePower.yaml).
      const poller = {
        '+order': 'desc',
        '+order_by': 'created',
        action: 'linode_boot',
        'entity.id': linodeId,
        'entity.type': 'linode',
      };
      const events = await page('/{apiVersion}/account/events', '/v4beta/account/events', poller, 'events');
      assert.deepEqual([events.page, events.pages, events.results], [1, 1, 1]);
      assert.deepEqual(events.data[0]?.['entity'], {
        id: linodeId,
        label: h.sim.instance(linodeId)?.label,
        type: 'linode',
        url: `/v4/linode/instances/${linodeId}`,
      });
      // Cloud Manager's events.helpers.ts: created as a zone-less datetime.
      const since = new Date(h.clock.nowMs() - 60_000).toISOString().slice(0, 19);
      const recent = await page(
        '/{apiVersion}/account/events',
        '/v4/account/events',
        { created: { '+gte': since } },
        'events',
      );
      assert.equal(recent.results, 2);
      const later = new Date(h.clock.nowMs() + 60_000).toISOString().slice(0, 19);
      const none = await page(
        '/{apiVersion}/account/events',
        '/v4/account/events',
        { created: { '+gte': later } },
        'events',
      );
      assert.equal(none.results, 0);
    },
  );
});
