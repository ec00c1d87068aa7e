// Contract test for every error the simulated Linode API can send: each reason of
// src/sim/linode/reasons.ts is provoked once (the last test fails if one is not), its body checked
// against the `default` (error) response of Linode's OpenAPI description, and the wording the real
// API is known to use (linode.md §1) asserted literally. Skipped where ../shared is absent.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REASON } from '../../../src/sim/linode/reasons.js';
import type { Fault } from '../../../src/sim/world.js';
import { manualClock, raw, seed, startSim, type Harness } from './harness.js';
import { openContract, type Method } from './openapi.js';

type ReasonKey = keyof typeof REASON;

interface Req {
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  /** undefined: the simulator's token; null: no Authorization header. */
  token?: string | null;
}

const VOLUMES: [string, Method] = ['/{apiVersion}/volumes', 'get'];
const VOLUME: [string, Method] = ['/{apiVersion}/volumes/{volumeId}', 'get'];
const ATTACH: [string, Method] = ['/{apiVersion}/volumes/{volumeId}/attach', 'post'];
const DETACH: [string, Method] = ['/{apiVersion}/volumes/{volumeId}/detach', 'post'];

void describe('linode sim: every error against the OpenAPI description', async () => {
  const contract = await openContract();
  const skip = typeof contract === 'string' ? contract : false;
  if (skip !== false) console.log(`skipping the OpenAPI error contract test: ${skip}`);

  let h: Harness;
  let ids: ReturnType<typeof seed>;
  const seen = new Set<ReasonKey>();
  const L = (i: number): number => ids.linodeIds[i] ?? 0;
  const V = (i: number): number => ids.volumeIds[i] ?? 0;

  before(async () => {
    if (skip !== false) return;
    h = await startSim({ clock: manualClock(), detachDelayMs: 5000, powerDelayMs: 20_000 });
    ids = seed(h.sim);
  });
  after(() => (skip === false ? h.close() : undefined));

  /**
   * Sends `req` and asserts Linode's error body {"errors":[{reason, field?}]} with exactly this
   * status, reason and field, valid against the spec's error response of `spec`.
   */
  const expectError = async (
    key: ReasonKey,
    req: Req,
    expected: { status: number; reason: string; field?: string },
    spec: [string, Method],
  ): Promise<Headers> => {
    if (typeof contract === 'string') throw new Error(contract);
    const response = await raw(h.root, req.path, {
      method: req.method ?? 'GET',
      token: req.token === undefined ? h.sim.token : req.token,
      headers: { 'Content-Type': 'application/json', ...req.headers },
      ...(req.body === undefined ? {} : { body: req.body }),
    });
    const item =
      expected.field === undefined
        ? { reason: expected.reason }
        : { reason: expected.reason, field: expected.field };
    assert.deepEqual([response.status, response.body], [expected.status, { errors: [item] }], req.path);
    assert.equal(response.headers.get('content-type'), 'application/json');
    contract.check(spec[0], spec[1], 'default', response.body, 'error');
    seen.add(key);
    return response.headers;
  };

  const withFault = async (fault: Fault, run: () => Promise<void>): Promise<void> => {
    h.faults.add(fault);
    try {
      await run();
    } finally {
      h.faults.remove(fault);
    }
  };

  const attach = (volumeId: number, body: unknown): Req => ({
    path: `/v4/volumes/${volumeId}/attach`,
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  void it('401 Invalid Token for a wrong or missing token, naming no scopes', { skip }, async () => {
    const wrong = await expectError(
      'invalidToken',
      { path: '/v4/volumes', token: 'not-the-token' },
      { status: 401, reason: 'Invalid Token' },
      VOLUMES,
    );
    // Linode cannot name the scopes of a token it does not recognise.
    assert.equal(wrong.get('x-oauth-scopes'), null);
    await expectError(
      'invalidToken',
      { path: '/v4beta/volumes', token: null },
      { status: 401, reason: 'Invalid Token' },
      VOLUMES,
    );
  });

  void it('401 (not 403) for a token without the OAuth scope, with the scope headers', { skip }, async () => {
    // The spec reserves 403 for "authenticated, but no permission"; the real API answers a missing
    // OAuth scope with 401 and this reason (linode.md §1 and §5.6: linode-cli#142, algo#14348).
    await withFault({ kind: 'linode-missing-scope', scope: 'volumes:read_write' }, async () => {
      const headers = await expectError(
        'missingScope',
        { path: `/v4/volumes/${V(0)}/detach`, method: 'POST', body: '{}' },
        { status: 401, reason: 'Your OAuth token is not authorized to use this endpoint.' },
        DETACH,
      );
      assert.equal(headers.get('x-accepted-oauth-scopes'), 'volumes:read_write,linodes:read_write');
      const held = (headers.get('x-oauth-scopes') ?? '').split(' ');
      assert.ok(held.includes('volumes:read_only') && held.includes('linodes:read_write'), held.join(' '));
      assert.ok(!held.includes('volumes:read_write') && !held.includes('*'));
      // read_only is left: listing still works.
      assert.equal((await raw(h.root, '/v4/volumes', { token: h.sim.token })).status, 200);
    });
    await withFault({ kind: 'linode-missing-scope', scope: 'events:read_only' }, async () => {
      const headers = await expectError(
        'missingScope',
        { path: '/v4/account/events' },
        { status: 401, reason: 'Your OAuth token is not authorized to use this endpoint.' },
        ['/{apiVersion}/account/events', 'get'],
      );
      assert.ok(!(headers.get('x-oauth-scopes') ?? '').includes('events:'));
    });
  });

  void it('404 Not found for an unknown path, prefix or id, on /v4 and /v4beta', { skip }, async () => {
    const notFound = { status: 404, reason: 'Not found' };
    await expectError('notFound', { path: '/v4/no-such-thing' }, notFound, VOLUMES);
    await expectError('notFound', { path: '/v5/volumes' }, notFound, VOLUMES);
    await expectError('notFound', { path: '/v4/volumes/999' }, notFound, VOLUME);
    await expectError('notFound', { path: '/v4beta/volumes/abc' }, notFound, VOLUME);
    await expectError('notFound', { path: '/v4beta/lke/clusters/1/nodes/1-aa' }, notFound, [
      '/{apiVersion}/lke/clusters/{clusterId}/nodes/{nodeId}',
      'get',
    ]);
    await expectError('notFound', { path: '/v4/volumes/999', method: 'DELETE' }, notFound, [
      '/{apiVersion}/volumes/{volumeId}',
      'delete',
    ]);
  });

  void it('400 for attach bodies Linode refuses', { skip }, async () => {
    await expectError(
      'invalidJson',
      attach(V(2), '{not json'),
      { status: 400, reason: REASON.invalidJson },
      ATTACH,
    );
    await expectError(
      'required',
      attach(V(2), {}),
      { status: 400, reason: REASON.required('linode_id'), field: 'linode_id' },
      ATTACH,
    );
    await expectError(
      'mustBeInteger',
      attach(V(2), { linode_id: 'abc' }),
      { status: 400, reason: REASON.mustBeInteger('linode_id'), field: 'linode_id' },
      ATTACH,
    );
    await expectError(
      'mustBeBoolean',
      attach(V(2), { linode_id: L(1), persist_across_boots: 'yes' }),
      { status: 400, reason: REASON.mustBeBoolean('persist_across_boots'), field: 'persist_across_boots' },
      ATTACH,
    );
    // Real wording, from linodego fixtures.
    await expectError(
      'invalidLinodeId',
      attach(V(2), { linode_id: 99999 }),
      { status: 400, reason: 'Invalid Linode ID 99999' },
      ATTACH,
    );
    await expectError(
      'configWithoutPersist',
      attach(V(2), { linode_id: L(1), persist_across_boots: false, config_id: 1 }),
      { status: 400, reason: REASON.configWithoutPersist, field: 'config_id' },
      ATTACH,
    );
    // Real wording (pulumi/pulumi-linode#965).
    await expectError(
      'noConfig',
      attach(V(2), { linode_id: L(1), config_id: 1 }),
      {
        status: 400,
        reason:
          "Couldn't choose a configuration profile to add this volume to. Please add this volume to the configuration profile you want.",
        field: 'config_id',
      },
      ATTACH,
    );
  });

  void it('400 "is already attached", region, inactive Linode and too many volumes', { skip }, async () => {
    // Consumers (the CSI driver) substring-match "is already attached".
    const reason = REASON.alreadyAttached(V(0), L(0));
    assert.match(reason, /is already attached/);
    await expectError('alreadyAttached', attach(V(0), { linode_id: L(1) }), { status: 400, reason }, ATTACH);

    h.sim.restoreVolume({
      id: 1_299_999,
      label: 'pvc-elsewhere',
      region: 'us-east',
      size: 10,
      status: 'active',
      linode_id: null,
      linode_label: null,
      filesystem_path: '/dev/disk/by-id/scsi-0Linode_Volume_pvc-elsewhere',
    });
    await expectError(
      'regionMismatch',
      attach(1_299_999, { linode_id: L(1) }),
      { status: 400, reason: REASON.regionMismatch, field: 'linode_id' },
      ATTACH,
    );

    const offline = h.sim.createInstance({ label: 'offline-one', ipv4: '172.104.5.1' }).id;
    await raw(h.root, `/v4/linode/instances/${offline}/shutdown`, { method: 'POST', token: h.sim.token });
    h.clock.settle(25_000);
    // Real: {"reason":"Linode is not active","field":"linode_id"} (linodego fixtures).
    await expectError(
      'linodeNotActive',
      attach(V(2), { linode_id: offline, persist_across_boots: false }),
      { status: 400, reason: 'Linode is not active', field: 'linode_id' },
      ATTACH,
    );

    const full = h.sim.createInstance({ label: 'full-one', ipv4: '172.104.5.2' }).id;
    for (let i = 0; i < 8; i++) h.sim.createVolume({ label: `filler-${i}`, size: 10, linodeId: full });
    await expectError(
      'tooManyVolumes',
      attach(V(2), { linode_id: full }),
      { status: 400, reason: REASON.tooManyVolumes(8), field: 'linode_id' },
      ATTACH,
    );
  });

  void it('400 for a detach of an unattached volume and a delete of an attached one', { skip }, async () => {
    await expectError(
      'notAttached',
      { path: `/v4/volumes/${V(2)}/detach`, method: 'POST', body: '{}' },
      { status: 400, reason: REASON.notAttached(V(2)) },
      DETACH,
    );
    await expectError(
      'deleteAttached',
      { path: `/v4/volumes/${V(0)}`, method: 'DELETE' },
      { status: 400, reason: REASON.deleteAttached },
      ['/{apiVersion}/volumes/{volumeId}', 'delete'],
    );
    assert.equal(h.sim.volume(V(0))?.linode_id, L(0), 'the refused delete left the volume attached');
  });

  void it('400 "Linode busy." while a power action runs', { skip }, async () => {
    const reboot = await raw(h.root, `/v4/linode/instances/${L(2)}/reboot`, {
      method: 'POST',
      token: h.sim.token,
    });
    assert.equal(reboot.status, 200);
    // Real wording; linodego retries it.
    await expectError(
      'busy',
      { path: `/v4/linode/instances/${L(2)}/boot`, method: 'POST', body: '{}' },
      { status: 400, reason: 'Linode busy.' },
      ['/{apiVersion}/linode/instances/{linodeId}/boot', 'post'],
    );
    h.clock.settle(25_000);
    await expectError(
      'notFound',
      { path: `/v4/linode/instances/${L(2)}/reboot`, method: 'POST', body: JSON.stringify({ config_id: 1 }) },
      { status: 400, reason: 'Not found', field: 'config_id' },
      ['/{apiVersion}/linode/instances/{linodeId}/reboot', 'post'],
    );
  });

  void it('400 for X-Filter and paging Linode refuses', { skip }, async () => {
    const filter = (value: string): Req => ({ path: '/v4/volumes', headers: { 'X-Filter': value } });
    // Real: {"reason":"Cannot filter on foo","field":"X-Filter"}.
    await expectError(
      'cannotFilter',
      filter('{"size":10}'),
      { status: 400, reason: 'Cannot filter on size', field: 'X-Filter' },
      VOLUMES,
    );
    await expectError(
      'badFilter',
      filter('{nope'),
      { status: 400, reason: REASON.badFilter, field: 'X-Filter' },
      VOLUMES,
    );
    await expectError(
      'badFilter',
      filter('{"+or":1}'),
      { status: 400, reason: REASON.badFilter, field: 'X-Filter' },
      VOLUMES,
    );
    await expectError(
      'badOperator',
      filter('{"label":{"+like":"pvc"}}'),
      { status: 400, reason: REASON.badOperator('+like'), field: 'X-Filter' },
      VOLUMES,
    );
    await expectError(
      'cannotOrder',
      filter('{"+order_by":"size"}'),
      { status: 400, reason: REASON.cannotOrder('size'), field: 'X-Filter' },
      VOLUMES,
    );
    await expectError(
      'badOrder',
      filter('{"+order_by":"label","+order":"up"}'),
      { status: 400, reason: REASON.badOrder, field: 'X-Filter' },
      VOLUMES,
    );
    await expectError(
      'pageSize',
      { path: '/v4/volumes?page_size=10' },
      { status: 400, reason: REASON.pageSize, field: 'page_size' },
      VOLUMES,
    );
    await expectError(
      'page',
      { path: '/v4/volumes?page=0' },
      { status: 400, reason: REASON.page, field: 'page' },
      VOLUMES,
    );
  });

  void it(
    '429 with Retry-After and the rate-limit headers, and other injected statuses',
    { skip },
    async () => {
      const fault: Fault = {
        kind: 'api-error',
        api: 'linode',
        pathPattern: '^/v4/volumes$',
        status: 429,
        rate: 1,
        retryAfterSeconds: 7,
      };
      await withFault(fault, async () => {
        // Real: 429 "Too many requests" (linode.md §1); Retry-After is the seconds until the window resets.
        const headers = await expectError(
          'tooManyRequests',
          { path: '/v4/volumes' },
          { status: 429, reason: 'Too many requests' },
          VOLUMES,
        );
        assert.equal(headers.get('retry-after'), '7');
        assert.equal(headers.get('x-ratelimit-remaining'), '0');
        assert.equal(headers.get('x-ratelimit-limit'), '800');
        assert.equal(Number(headers.get('x-ratelimit-reset')), Math.ceil(h.clock.nowMs() / 1000) + 7);
        // Only the matching path is limited.
        assert.equal((await raw(h.root, `/v4/volumes/${V(0)}`, { token: h.sim.token })).status, 200);
      });
      const injected: Array<[number, ReasonKey, string]> = [
        [403, 'forbidden', REASON.forbidden],
        [500, 'serverError', REASON.serverError],
        [503, 'serverError', REASON.serverError],
      ];
      for (const [status, key, reason] of injected)
        await withFault(
          { kind: 'api-error', api: 'linode', pathPattern: '^/v4/volumes$', status, rate: 1 },
          async () => {
            const headers = await expectError(key, { path: '/v4/volumes' }, { status, reason }, VOLUMES);
            assert.equal(headers.get('retry-after'), null);
            // An injected 503 is not maintenance mode: clients may retry it.
            assert.equal(headers.get('x-maintenance-mode'), null);
          },
        );
    },
  );

  void it('400 for volume create, clone and resize bodies Linode refuses', { skip }, async () => {
    const CREATE: [string, Method] = ['/{apiVersion}/volumes', 'post'];
    const CLONE: [string, Method] = ['/{apiVersion}/volumes/{volumeId}/clone', 'post'];
    const RESIZE: [string, Method] = ['/{apiVersion}/volumes/{volumeId}/resize', 'post'];
    const post = (path: string, body: unknown): Req => ({ path, method: 'POST', body: JSON.stringify(body) });
    const created = await raw(h.root, '/v4/volumes', {
      method: 'POST',
      token: h.sim.token,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'fresh-one', linode_id: L(0) }),
    });
    assert.equal(created.status, 200);
    const freshId = (created.body as { id: number }).id;
    const field = (reason: string, name: string) => ({ status: 400, reason, field: name });
    await expectError(
      'badLabel',
      post('/v4/volumes', { label: '1bad', region: 'us-east' }),
      field(REASON.badLabel, 'label'),
      CREATE,
    );
    await expectError(
      'labelTaken',
      post('/v4/volumes', { label: 'fresh-one', linode_id: L(0) }),
      field(REASON.labelTaken, 'label'),
      CREATE,
    );
    await expectError(
      'regionOrLinode',
      post('/v4/volumes', { label: 'no-place' }),
      field(REASON.regionOrLinode, 'region'),
      CREATE,
    );
    await expectError(
      'badRegion',
      post('/v4/volumes', { label: 'bad-region', region: 5 }),
      field(REASON.badRegion, 'region'),
      CREATE,
    );
    await expectError(
      'sizeRange',
      post('/v4/volumes', { label: 'tiny', size: 5, region: 'us-east' }),
      field(REASON.sizeRange(10, 16_384), 'size'),
      CREATE,
    );
    // Under the manual clock the new volume stays `creating`: it cannot be cloned yet.
    await expectError(
      'volumeNotActive',
      post(`/v4/volumes/${freshId}/clone`, { label: 'fresh-two' }),
      { status: 400, reason: REASON.volumeNotActive },
      CLONE,
    );
    const current = await raw(h.root, `/v4/volumes/${V(0)}`, { method: 'GET', token: h.sim.token });
    const size = (current.body as { size: number }).size;
    await expectError(
      'resizeDown',
      post(`/v4/volumes/${V(0)}/resize`, { size: 10 }),
      field(REASON.resizeDown(size), 'size'),
      RESIZE,
    );
  });

  void it('has provoked every reason the simulator can send', { skip }, () => {
    assert.deepEqual([...seen].sort(), (Object.keys(REASON) as ReasonKey[]).sort());
  });
});
