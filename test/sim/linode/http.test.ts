// The behaviour every endpoint shares: bearer auth, JSON everywhere, /v4 and /v4beta, headers,
// 404s, and the account/profile a runbook shows before it touches anything.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getAccountInfo, getProfile, getVolumes } from '@linode/api-v4';
import { expectHttpError, raw, seed, startSim, useToken, type Harness } from './harness.js';

void describe('linode sim: http', () => {
  let h: Harness;

  before(async () => {
    h = await startSim({ token: 'sim-token-for-tests' });
    seed(h.sim);
  });
  after(() => h.close());

  void it('answers 401 Invalid Token to a wrong token through api-v4', async () => {
    useToken('not-the-token');
    try {
      const error = await expectHttpError(getVolumes());
      assert.deepEqual(error, { status: 401, errors: [{ reason: 'Invalid Token' }] });
    } finally {
      useToken(h.sim.token);
    }
    assert.equal((await getVolumes()).results, 3);
  });

  void it('answers 401 without a token, with JSON', async () => {
    const response = await raw(h.root, '/v4/volumes', { token: null });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(response.body, { errors: [{ reason: 'Invalid Token' }] });
  });

  void it('sends Linode headers, and 404 Not found for an unknown path or id', async () => {
    const response = await raw(h.root, '/v4/volumes', { token: h.sim.token });
    assert.equal(response.headers.get('x-oauth-scopes'), '*');
    assert.equal(response.headers.get('x-accepted-oauth-scopes'), 'volumes:read_only');
    assert.equal(response.headers.get('x-ratelimit-limit'), '800');
    assert.ok(response.headers.get('x-ratelimit-remaining'));
    const missing = await raw(h.root, '/v4/no-such-thing', { token: h.sim.token });
    assert.deepEqual([missing.status, missing.body], [404, { errors: [{ reason: 'Not found' }] }]);
    const badId = await raw(h.root, '/v4beta/volumes/abc', { token: h.sim.token });
    assert.equal(badId.status, 404);
  });

  void it('answers 400 for a malformed X-Filter and a bad page', async () => {
    const bad = await raw(h.root, '/v4/volumes', { token: h.sim.token, headers: { 'X-Filter': '{nope' } });
    assert.equal(bad.status, 400);
    const page = await raw(h.root, '/v4/volumes?page=0', { token: h.sim.token });
    assert.deepEqual((page.body as { errors: Array<{ field: string }> }).errors[0]?.field, 'page');
    const empty = await raw(h.root, '/v4/account/events', { token: h.sim.token });
    assert.deepEqual(empty.body, { data: [], page: 1, pages: 1, results: 0 });
  });

  void it('serves the account and the profile, without secrets', async () => {
    const account = await getAccountInfo();
    assert.equal(account.company, 'Python Discord');
    assert.ok(account.email.includes('@'));
    const profile = await getProfile();
    assert.ok(profile.username.length > 0);
    assert.ok(!JSON.stringify([account, profile]).includes(h.sim.token));
  });

  void it('snapshots every object and never the token', () => {
    const snapshot = JSON.stringify(h.sim.snapshot());
    assert.ok(!snapshot.includes('sim-token-for-tests'));
    const parsed = JSON.parse(snapshot) as {
      volumes: unknown[];
      instances: unknown[];
      lkeClusters: unknown[];
    };
    assert.equal(parsed.volumes.length, 3);
    assert.equal(parsed.instances.length, 3);
    assert.equal(parsed.lkeClusters.length, 1);
  });
});
