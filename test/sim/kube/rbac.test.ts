// RBAC in the simulator: with `rbac: true`, only what a Role or ClusterRole bound to the token's
// user grants passes; the rest gets the real 403, and SelfSubjectAccessReviews answer the same.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './harness.js';

const USER = 'system:serviceaccount:ops:runbook';
const RBAC = 'rbac.authorization.k8s.io/v1';
const subjects = [{ kind: 'ServiceAccount', name: 'runbook', namespace: 'ops' }];
const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

describe('RBAC in the simulated API server', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.sim.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } });
    h.sim.create({
      apiVersion: RBAC,
      kind: 'Role',
      metadata: { name: 'pods-reader', namespace: 'default' },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      ],
    });
    h.sim.create({
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: { name: 'pods-reader', namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods-reader' },
      subjects,
    });
    h.sim.create({
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: { name: 'nodes-reader' },
      rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }],
    });
    h.sim.create({
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'nodes-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'nodes-reader' },
      subjects,
    });
    h.sim.access.setPolicy({ user: USER, deny: [], rbac: true });
  });
  after(async () => {
    await h.close();
  });

  it('passes what a bound Role or ClusterRole grants, in its namespace only', async () => {
    assert.equal((await h.request('GET', '/api/v1/namespaces/default/pods')).status, 200);
    assert.equal((await h.request('GET', '/api/v1/nodes')).status, 200);
    const elsewhere = await h.request('GET', '/api/v1/namespaces/kube-system/pods');
    assert.equal(elsewhere.status, 403);
    assert.equal(
      (elsewhere.json as { message: string }).message,
      `pods is forbidden: User "${USER}" cannot list resource "pods" in API group "" in the namespace "kube-system"`,
    );
    const everywhere = await h.request('GET', '/api/v1/pods');
    assert.equal(
      (everywhere.json as { message: string }).message,
      `pods is forbidden: User "${USER}" cannot list resource "pods" in API group "" at the cluster scope`,
    );
  });

  it('refuses a verb or a subresource the rules do not name', async () => {
    const patch = await h.request(
      'PATCH',
      '/api/v1/nodes/nothing',
      {},
      { 'Content-Type': 'application/merge-patch+json' },
    );
    assert.equal(patch.status, 403);
    assert.match(
      (patch.json as { message: string }).message,
      /cannot patch resource "nodes" in API group "" at the cluster scope$/,
    );
    const exec = await h.request('POST', '/api/v1/namespaces/default/pods/p/exec');
    assert.equal(exec.status, 403);
  });

  it('answers SelfSubjectAccessReviews from the same grants', async () => {
    const ask = async (attributes: Record<string, string>): Promise<{ allowed: boolean; reason?: string }> =>
      (
        (
          await h.request('POST', SSAR_PATH, {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: { resourceAttributes: attributes },
          })
        ).json as { status: { allowed: boolean; reason?: string } }
      ).status;
    assert.equal(
      (await ask({ namespace: 'default', verb: 'create', resource: 'pods', subresource: 'eviction' }))
        .allowed,
      true,
    );
    const refused = await ask({ namespace: 'default', verb: 'delete', resource: 'pods' });
    assert.equal(refused.allowed, false);
  });

  it('a Role bound to another ServiceAccount grants nothing', async () => {
    h.sim.access.setPolicy({ user: 'system:serviceaccount:ops:someone-else', deny: [], rbac: true });
    try {
      assert.equal((await h.request('GET', '/api/v1/namespaces/default/pods')).status, 403);
    } finally {
      h.sim.access.setPolicy({ user: USER, deny: [], rbac: true });
    }
  });
});
