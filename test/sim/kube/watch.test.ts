// Watches through the real client: ordered ADDED/MODIFIED/DELETED, resume from a resourceVersion,
// 410 Expired for a version older than the history, selectors moving objects in and out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startHarness, type Harness } from './harness.js';

interface Seen {
  type: string;
  name: string;
  rv: string;
  object: k8s.KubernetesObject & { code?: number; reason?: string };
}

/** Starts a watch and collects its events; `stop()` aborts it. */
async function collect(
  h: Harness,
  path: string,
  query: Record<string, string>,
): Promise<{
  events: Seen[];
  done: Promise<unknown>;
  stop: () => void;
  waitFor: (n: number) => Promise<void>;
}> {
  const events: Seen[] = [];
  const waiters: Array<() => void> = [];
  let resolveDone: (v: unknown) => void = () => undefined;
  const done = new Promise((r) => (resolveDone = r));
  const watch = new k8s.Watch(h.kc);
  const controller = await watch.watch(
    path,
    query,
    (type, object: Seen['object']) => {
      events.push({
        type,
        name: object.metadata?.name ?? '',
        rv: object.metadata?.resourceVersion ?? '',
        object,
      });
      for (const w of waiters.splice(0)) w();
    },
    (err) => resolveDone(err ?? 'closed'),
  );
  const waitFor = async (n: number): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (events.length < n) {
      if (Date.now() > deadline)
        throw new Error(
          `only ${events.length} of ${n} events: ${JSON.stringify(events.map((e) => e.type + ' ' + e.name))}`,
        );
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100).unref();
      });
    }
  };
  return { events, done, stop: () => controller.abort(), waitFor };
}

describe('kube sim watch', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ historyLimit: 50 });
  });
  after(async () => {
    await h.close();
  });

  it('delivers ADDED, MODIFIED, DELETED in order, and resumes from a resourceVersion', async () => {
    const list = await h.core.listNamespacedConfigMap({ namespace: 'default' });
    const rv = list.metadata?.resourceVersion ?? '';
    const w = await collect(h, '/api/v1/namespaces/default/configmaps', { resourceVersion: rv });
    await h.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'w1' }, data: { a: '1' } },
    });
    await h.core.patchNamespacedConfigMap(
      { name: 'w1', namespace: 'default', body: { data: { a: '2' } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await h.core.deleteNamespacedConfigMap({ name: 'w1', namespace: 'default' });
    await w.waitFor(3);
    w.stop();
    assert.deepEqual(
      w.events.map((e) => `${e.type} ${e.name}`),
      ['ADDED w1', 'MODIFIED w1', 'DELETED w1'],
    );
    const rvs = w.events.map((e) => Number(e.rv));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!, 'resourceVersions increase');

    // Resume after the first event: the client sees the last two again.
    const resumed = await collect(h, '/api/v1/namespaces/default/configmaps', {
      resourceVersion: w.events[0]!.rv,
    });
    await resumed.waitFor(2);
    resumed.stop();
    assert.deepEqual(
      resumed.events.map((e) => e.type),
      ['MODIFIED', 'DELETED'],
    );
  });

  it('sends synthetic ADDED for resourceVersion 0 and applies label selectors on both sides of a change', async () => {
    await h.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'sel', labels: { tier: 'db' } } },
    });
    const w = await collect(h, '/api/v1/namespaces/default/configmaps', {
      resourceVersion: '0',
      labelSelector: 'tier=db',
    });
    await w.waitFor(1);
    assert.deepEqual(
      w.events.map((e) => `${e.type} ${e.name}`),
      ['ADDED sel'],
    );
    await h.core.patchNamespacedConfigMap(
      { name: 'sel', namespace: 'default', body: { metadata: { labels: { tier: 'web' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await h.core.patchNamespacedConfigMap(
      { name: 'sel', namespace: 'default', body: { metadata: { labels: { tier: 'db' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await w.waitFor(3);
    w.stop();
    assert.deepEqual(
      w.events.map((e) => e.type),
      ['ADDED', 'DELETED', 'ADDED'],
    );
  });

  it('answers a too-old resourceVersion with one ERROR 410 Expired event, then closes', async () => {
    for (let i = 0; i < 60; i += 1)
      await h.core.createNamespacedConfigMap({
        namespace: 'default',
        body: { metadata: { name: `churn-${i}` } },
      });
    const w = await collect(h, '/api/v1/namespaces/default/configmaps', { resourceVersion: '1' });
    const ended = await w.done;
    assert.equal(ended, 'closed');
    assert.equal(w.events.length, 1);
    assert.equal(w.events[0]!.type, 'ERROR');
    assert.equal(w.events[0]!.object.code, 410);
    assert.equal(w.events[0]!.object.reason, 'Expired');
  });

  it('ends the stream after timeoutSeconds (real time), with a bookmark when allowed', async () => {
    const started = Date.now();
    const w = await collect(h, '/api/v1/namespaces/default/configmaps', {
      resourceVersion: String(h.sim.resourceVersion()),
      timeoutSeconds: '1',
      allowWatchBookmarks: 'true',
    });
    assert.equal(await w.done, 'closed');
    assert.ok(Date.now() - started >= 900);
    assert.deepEqual(
      w.events.map((e) => e.type),
      ['BOOKMARK'],
    );
  });
});
