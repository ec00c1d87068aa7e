// Faults at run time through POST /_sim/faults: validated bodies, and each API honouring its kinds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../src/sim/server.js';
import { findScenario } from '../../src/sim/scenarios/index.js';

describe('sim faults through the control API', () => {
  let sim: RunningSimulator;
  const post = (body: unknown) =>
    fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      json: (await r.json()) as { error?: string },
    }));
  const linode = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.linodeApiUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${sim.linodeToken}`, 'Content-Type': 'application/json' },
    });

  before(async () => {
    const scenario = findScenario('healthy');
    assert.ok(scenario !== undefined);
    sim = await startSimulator({ world: scenarioLoader(scenario), speed: 'instant' });
  });
  after(() => sim.stop());

  it('refuses an unknown kind, a missing field, a stray field and a bad value, saying which', async () => {
    const unknown = await post({ kind: 'meteor' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json.error ?? '', /unknown fault kind "meteor"; known: .*volume-device-missing/);
    const missing = await post({ kind: 'node-not-ready' });
    assert.match(missing.json.error ?? '', /node is required/);
    const stray = await post({ kind: 'node-not-ready', node: 'x', nod: 'y' });
    assert.match(stray.json.error ?? '', /nod is not a field of node-not-ready/);
    const bad = await post({ kind: 'api-error', api: 'linode', pathPattern: '(', status: 200, rate: 2 });
    assert.equal(bad.status, 400);
    assert.match(
      bad.json.error ?? '',
      /pathPattern is not a valid regular expression.*status must be an HTTP error status.*rate must be a probability/,
    );
  });

  it('postgres-too-many-clients is taken with its selectors, and a misspelt one is refused', async () => {
    const typo = await post({
      kind: 'postgres-too-many-clients',
      namespace: 'default',
      labelSelector: 'app=postgres',
      clients: 'app=site',
    });
    assert.equal(typo.status, 400);
    assert.match(
      typo.json.error ?? '',
      /clients is not a field of postgres-too-many-clients \(fields: namespace, labelSelector, clientSelector\)/,
    );
    const fault = {
      kind: 'postgres-too-many-clients',
      namespace: 'default',
      labelSelector: 'app=postgres',
      clientSelector: 'app=site',
    };
    const taken = await post(fault);
    assert.equal(taken.status, 201, taken.json.error);
    assert.ok(sim.world.faults.list().some((f) => JSON.stringify(f) === JSON.stringify(fault)));
    sim.world.faults.clear();
  });

  it('api-error 429 carries Retry-After on Linode and Kubernetes', async () => {
    assert.equal(
      (
        await post({
          kind: 'api-error',
          api: 'linode',
          pathPattern: '^/v4/volumes$',
          status: 429,
          rate: 1,
          retryAfterSeconds: 7,
        })
      ).status,
      201,
    );
    const res = await linode('/volumes');
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.deepEqual(await res.json(), { errors: [{ reason: 'Too many requests' }] });
    assert.equal(
      (
        await post({
          kind: 'api-error',
          api: 'kubernetes',
          pathPattern: '^/api/v1/nodes$',
          status: 429,
          rate: 1,
        })
      ).status,
      201,
    );
    const kube = await fetch(`${sim.url}/api/v1/nodes`);
    assert.equal(kube.status, 429);
    assert.equal(kube.headers.get('retry-after'), '1');
    assert.equal(((await kube.json()) as { reason?: string }).reason, 'TooManyRequests');
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
  });

  it('linode-missing-scope answers 401 on the endpoints that need it, and only those', async () => {
    await post({ kind: 'linode-missing-scope', scope: 'volumes:read_write' });
    const volumes = await linode('/volumes');
    assert.equal(volumes.status, 200);
    const { data } = (await volumes.json()) as { data: Array<{ id: number }> };
    const detach = await linode(`/volumes/${data[0]?.id ?? 0}/detach`, { method: 'POST', body: '{}' });
    assert.equal(detach.status, 401);
    assert.deepEqual(await detach.json(), {
      errors: [{ reason: 'Your OAuth token is not authorized to use this endpoint.' }],
    });
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
  });

  it('linode-event-fails ends a detach `failed`, leaving the volume attached', async () => {
    await post({ kind: 'linode-event-fails', action: 'volume_detach' });
    const { data } = (await (await linode('/volumes')).json()) as {
      data: Array<{ id: number; linode_id: number | null }>;
    };
    const volume = data.find((v) => v.linode_id !== null);
    assert.ok(volume !== undefined);
    assert.equal((await linode(`/volumes/${volume.id}/detach`, { method: 'POST', body: '{}' })).status, 200);
    const events = await new Promise<Array<{ action: string; status: string }>>((resolve) => {
      const poll = (): void => {
        const list = sim.world.linode.events().filter((e) => e.action === 'volume_detach');
        if (list.some((e) => e.status === 'failed' || e.status === 'finished')) resolve(list);
        else setImmediate(poll);
      };
      poll();
    });
    assert.equal(events.at(-1)?.status, 'failed');
    assert.equal(sim.world.linode.volume(volume.id)?.linode_id, volume.linode_id);
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
  });

  it('watch-drop cuts watch streams', async () => {
    await post({ kind: 'watch-drop', pathPattern: '/pods$', afterMs: 0 });
    const outcome = await fetch(`${sim.url}/api/v1/namespaces/default/pods?watch=true`)
      .then(async (r) => {
        await r.text();
        return 'ended';
      })
      .catch(() => 'dropped');
    assert.ok(['ended', 'dropped'].includes(outcome));
    await fetch(`${sim.url}/_sim/faults`, { method: 'DELETE' });
  });
});
