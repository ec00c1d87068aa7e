// The simulated API server's verbs as the real client sees them: discovery, CRUD, conflicts,
// patches, paging, selectors, dry run, error Status bodies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startHarness, type Harness } from './harness.js';

function statusOf(error: unknown): { code: number; reason: string; message: string } {
  assert.ok(error instanceof k8s.ApiException, `expected ApiException, got ${String(error)}`);
  const body = JSON.parse(error.body as string) as { reason: string; message: string };
  return { code: error.code, reason: body.reason, message: body.message };
}

describe('kube sim API', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('serves /version as v1.32 and legacy + aggregated discovery with subresources', async () => {
    const version = await h.request('GET', '/version?timeout=5s');
    assert.equal((version.json as { gitVersion: string }).gitVersion.startsWith('v1.32.'), true);
    assert.equal(version.headers['content-type'], 'application/json');
    const core = (await h.request('GET', '/api/v1')).json as { resources: Array<Record<string, unknown>> };
    const eviction = core.resources.find((r) => r.name === 'pods/eviction');
    assert.deepEqual([eviction?.group, eviction?.version, eviction?.kind], ['policy', 'v1', 'Eviction']);
    assert.deepEqual(core.resources.find((r) => r.name === 'pods')?.shortNames, ['po']);
    const apps = (await h.request('GET', '/apis/apps/v1')).json as {
      resources: Array<Record<string, unknown>>;
    };
    const scale = apps.resources.find((r) => r.name === 'deployments/scale');
    assert.deepEqual([scale?.group, scale?.version, scale?.kind], ['autoscaling', 'v1', 'Scale']);
    const groups = (await h.request('GET', '/apis')).json as { groups: Array<{ name: string }> };
    assert.deepEqual(groups.groups.map((g) => g.name).sort(), [
      'apiextensions.k8s.io',
      'apps',
      'authorization.k8s.io',
      'batch',
      'coordination.k8s.io',
      'metrics.k8s.io',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
    ]);
    const aggregated = await h.request('GET', '/apis', undefined, {
      Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    });
    assert.match(String(aggregated.headers['content-type']), /as=APIGroupDiscoveryList/);
    const unknown = await h.request('GET', '/apis/nope/v1/things');
    assert.equal(unknown.status, 404);
    assert.equal((unknown.json as { kind: string }).kind, 'Status');
  });

  it('creates, gets, conflicts on stale PUT and reports AlreadyExists / NotFound like the real server', async () => {
    const created = await h.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'cfg' }, data: { a: '1' } },
    });
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.resourceVersion);
    assert.ok(created.metadata?.creationTimestamp);
    try {
      await h.core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'cfg' } } });
      assert.fail('expected 409');
    } catch (error) {
      assert.deepEqual(statusOf(error), {
        code: 409,
        reason: 'AlreadyExists',
        message: 'configmaps "cfg" already exists',
      });
    }
    const updated = await h.core.replaceNamespacedConfigMap({
      name: 'cfg',
      namespace: 'default',
      body: { ...created, data: { a: '2' } },
    });
    assert.notEqual(updated.metadata?.resourceVersion, created.metadata?.resourceVersion);
    try {
      await h.core.replaceNamespacedConfigMap({
        name: 'cfg',
        namespace: 'default',
        body: { ...created, data: { a: '3' } },
      });
      assert.fail('expected 409');
    } catch (error) {
      assert.deepEqual(statusOf(error), {
        code: 409,
        reason: 'Conflict',
        message:
          'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again',
      });
    }
    try {
      await h.apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' });
      assert.fail('expected 404');
    } catch (error) {
      assert.deepEqual(statusOf(error), {
        code: 404,
        reason: 'NotFound',
        message: 'deployments.apps "nope" not found',
      });
    }
    const missingNs = await h.request('POST', '/api/v1/namespaces/ghost/configmaps', {
      metadata: { name: 'x' },
    });
    assert.equal(missingNs.status, 404);
    assert.equal((missingNs.json as { message: string }).message, 'namespaces "ghost" not found');
  });

  it('applies json, merge and strategic merge patches; null deletes a field', async () => {
    const node = h.sim.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'patch-node', labels: { a: 'b' } },
      spec: { providerID: 'linode://1' },
    });
    assert.ok(node.metadata.uid);
    await h.core.patchNode(
      { name: 'patch-node', body: { spec: { unschedulable: true } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    assert.equal(
      (h.sim.get('v1', 'Node', undefined, 'patch-node')?.spec as { unschedulable?: boolean }).unschedulable,
      true,
    );
    const uncordon = await h.request(
      'PATCH',
      '/api/v1/nodes/patch-node',
      { spec: { unschedulable: null } },
      {
        'Content-Type': 'application/strategic-merge-patch+json',
      },
    );
    assert.equal(uncordon.status, 200);
    assert.equal(
      'unschedulable' in (h.sim.get('v1', 'Node', undefined, 'patch-node')?.spec as object),
      false,
    );
    await h.core.patchNode({
      name: 'patch-node',
      body: [{ op: 'add', path: '/metadata/labels/x', value: 'y' }],
    });
    await h.core.patchNode(
      { name: 'patch-node', body: { metadata: { labels: { a: null } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(h.sim.get('v1', 'Node', undefined, 'patch-node')?.metadata.labels, { x: 'y' });
    const badTest = await h.request(
      'PATCH',
      '/api/v1/nodes/patch-node',
      [{ op: 'test', path: '/metadata/name', value: 'z' }],
      {
        'Content-Type': 'application/json-patch+json',
      },
    );
    assert.equal(badTest.status, 422);
    // Strategic merge merges containers by name.
    h.sim.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'smp', namespace: 'default' },
      spec: {
        containers: [
          { name: 'a', image: 'a:1' },
          { name: 'b', image: 'b:1' },
        ],
      },
    });
    await h.request(
      'PATCH',
      '/api/v1/namespaces/default/pods/smp',
      { spec: { containers: [{ name: 'b', image: 'b:2' }] } },
      {
        'Content-Type': 'application/strategic-merge-patch+json',
      },
    );
    const pod = h.sim.get('v1', 'Pod', 'default', 'smp');
    assert.deepEqual(
      (pod?.spec as { containers: Array<{ name: string; image: string }> }).containers.map(
        (c) => `${c.name}=${c.image}`,
      ),
      ['a=a:1', 'b=b:2'],
    );
    await h.core.deleteNamespacedPod({ name: 'smp', namespace: 'default', gracePeriodSeconds: 0 });
  });

  it('pages lists with limit/continue and filters by label and field selectors', async () => {
    for (let i = 0; i < 7; i += 1)
      await h.core.createNamespacedConfigMap({
        namespace: 'default',
        body: {
          metadata: { name: `page-${i}`, labels: { page: 'yes', parity: i % 2 === 0 ? 'even' : 'odd' } },
        },
      });
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const list = await h.core.listNamespacedConfigMap({
        namespace: 'default',
        labelSelector: 'page=yes',
        limit: 3,
        _continue: cont,
      });
      pages += 1;
      names.push(...list.items.map((i) => i.metadata?.name ?? ''));
      cont = list.metadata?._continue;
      assert.ok(list.metadata?.resourceVersion);
    } while (cont);
    assert.equal(pages, 3);
    assert.deepEqual(
      names,
      [0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`),
    );
    const odd = await h.core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'page,parity notin (even)',
    });
    assert.deepEqual(
      odd.items.map((i) => i.metadata?.name),
      ['page-1', 'page-3', 'page-5'],
    );
    const noLabel = await h.core.listNamespacedConfigMap({ namespace: 'default', labelSelector: '!page' });
    assert.ok(noLabel.items.every((i) => i.metadata?.labels?.page === undefined));
    const byName = await h.core.listNamespacedConfigMap({
      namespace: 'default',
      fieldSelector: 'metadata.name=page-4',
    });
    assert.deepEqual(
      byName.items.map((i) => i.metadata?.name),
      ['page-4'],
    );
    const bad = await h.request('GET', '/api/v1/namespaces/default/configmaps?fieldSelector=spec.nope%3Dx');
    assert.equal(bad.status, 400);
    assert.equal((bad.json as { message: string }).message, 'field label not supported: spec.nope');
    const all = await h.core.listConfigMapForAllNamespaces({
      fieldSelector: 'metadata.namespace=default',
      labelSelector: 'page',
    });
    assert.equal(all.items.length, 7);
  });

  it('dryRun=All validates and answers but persists nothing; other dryRun values are 422', async () => {
    const rv = h.sim.resourceVersion();
    const created = await h.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'dry' } },
      dryRun: 'All',
    });
    assert.equal(created.metadata?.name, 'dry');
    assert.ok(created.metadata?.uid);
    assert.equal(h.sim.get('v1', 'ConfigMap', 'default', 'dry'), undefined);
    const cm = h.sim.get('v1', 'ConfigMap', 'default', 'page-0');
    const patched = await h.request(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/page-0?dryRun=All',
      { data: { z: '1' } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    assert.equal(patched.status, 200);
    assert.equal(
      (patched.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion,
      cm?.metadata.resourceVersion,
    );
    const deleted = await h.request('DELETE', '/api/v1/namespaces/default/configmaps/page-0?dryRun=All');
    assert.equal(deleted.status, 200);
    assert.equal((deleted.json as { status: string }).status, 'Success');
    assert.ok(h.sim.get('v1', 'ConfigMap', 'default', 'page-0'));
    assert.equal(h.sim.resourceVersion(), rv);
    const invalid = await h.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=Yes', {
      metadata: { name: 'x' },
    });
    assert.equal(invalid.status, 422);
    assert.equal((invalid.json as { reason: string }).reason, 'Invalid');
    // DeleteOptions in the body beat the query.
    const real = await h.request('DELETE', '/api/v1/namespaces/default/configmaps/page-6?dryRun=All', {
      propagationPolicy: 'Background',
    });
    assert.equal(real.status, 200);
    assert.equal(h.sim.get('v1', 'ConfigMap', 'default', 'page-6'), undefined);
  });

  it('applies server-side (create 201, then 200) and enforces Lease MicroTime', async () => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { k: 'v' } };
    const first = await h.request(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/applied?fieldManager=kubectl',
      body,
      {
        'Content-Type': 'application/apply-patch+yaml',
      },
    );
    assert.equal(first.status, 201);
    const second = await h.request(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/applied?fieldManager=kubectl',
      { ...body, data: { k: 'w' } },
      { 'Content-Type': 'application/apply-patch+yaml' },
    );
    assert.equal(second.status, 200);
    assert.deepEqual((second.json as { data: unknown }).data, { k: 'w' });

    const coordination = h.kc.makeApiClient(k8s.CoordinationV1Api);
    const lease = await coordination.createNamespacedLease({
      namespace: 'default',
      body: {
        metadata: { name: 'runbook-lock' },
        spec: { holderIdentity: 'alice', acquireTime: new k8s.V1MicroTime(), leaseDurationSeconds: 60 },
      },
    });
    assert.equal(lease.spec?.holderIdentity, 'alice');
    const bad = await h.request('POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', {
      metadata: { name: 'bad-lease' },
      spec: { renewTime: '2024-01-01T00:00:00.103Z' },
    });
    assert.equal(bad.status, 400);
    assert.match((bad.json as { message: string }).message, /cannot parse "\.103Z" as "\.000000"/);
    try {
      await coordination.createNamespacedLease({
        namespace: 'default',
        body: { metadata: { name: 'runbook-lock' }, spec: {} },
      });
      assert.fail('expected 409');
    } catch (error) {
      assert.equal(statusOf(error).reason, 'AlreadyExists');
    }
  });
});
