// Authorization in the simulator: deny rules answered with the real 403 Forbidden, and the
// SelfSubjectAccessReviews of kubectl auth can-i (protobuf), client-node and plain JSON.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { decodeSelfSubjectAccessReview } from '../../../src/sim/kube/protobuf.js';
import { findScenario } from '../../../src/sim/scenarios/index.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../../src/sim/server.js';
import { addNode, deployment, isReady, podsOf, startHarness, type Harness } from './harness.js';
import { createKubectl, kubectlMissing, type Kubectl } from './kubectl.js';

/** Request bodies kubectl 1.32.5 sent for `auth can-i` (captured through a logging proxy). */
const CAPTURED = {
  deletePods:
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661756c74120664656c6574651a0022002a04706f647332003a001a08080012001a0020001a002200',
  deletePodFooInKubeSystem:
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712460a100a0012001a0022002a0032003800420012280a260a0b6b7562652d73797374656d120664656c6574651a0022002a04706f647332003a03666f6f1a08080012001a0020001a002200',
  patchDeployments:
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a65637441636365737352657669657712490a100a0012001a0022002a00320038004200122b0a290a0764656661756c74120570617463681a046170707322002a0b6465706c6f796d656e747332003a001a08080012001a0020001a002200',
  getPodLogs:
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661756c7412036765741a0022002a04706f647332036c6f673a001a08080012001a0020001a002200',
};

const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const review = (resourceAttributes: Record<string, string>): unknown => ({
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SelfSubjectAccessReview',
  spec: { resourceAttributes },
});

describe('protobuf SelfSubjectAccessReview bodies', () => {
  it('decode to the resource attributes kubectl asked about', () => {
    const decode = (hex: string): unknown => decodeSelfSubjectAccessReview(Buffer.from(hex, 'hex')).spec;
    assert.deepEqual(decode(CAPTURED.deletePods), {
      resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' },
    });
    assert.deepEqual(decode(CAPTURED.deletePodFooInKubeSystem), {
      resourceAttributes: { namespace: 'kube-system', verb: 'delete', resource: 'pods', name: 'foo' },
    });
    assert.deepEqual(decode(CAPTURED.patchDeployments), {
      resourceAttributes: { namespace: 'default', verb: 'patch', group: 'apps', resource: 'deployments' },
    });
    assert.deepEqual(decode(CAPTURED.getPodLogs), {
      resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods', subresource: 'log' },
    });
  });

  it('refuse anything that is not a Kubernetes protobuf envelope', () => {
    assert.throws(() => decodeSelfSubjectAccessReview(Buffer.from('{"kind":"x"}')), /k8s envelope/);
  });
});

describe('the access policy of the simulated API server', () => {
  let h: Harness;
  let k: Kubectl;
  let pod: string;

  before(async () => {
    h = await startHarness();
    k = createKubectl(h.url);
    addNode(h, 'lke1-node-a', '172.105.1.1');
    h.sim.create(deployment('web', 1));
    pod = (await h.until('web Ready', () => podsOf(h, 'web').find(isReady))).metadata.name;
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('denied requests get the real 403 Forbidden Status; others pass', async () => {
    h.sim.access.setPolicy({
      user: 'sim-user',
      deny: [
        { verb: 'delete', resource: 'pods', namespace: 'default' },
        { verb: 'list', resource: 'secrets', reason: 'secrets are not for on-call' },
        { verb: 'patch', resource: 'nodes' },
        { verb: '*', resource: 'deployments/scale', group: 'apps' },
      ],
    });
    const del = await h.request('DELETE', `/api/v1/namespaces/default/pods/${pod}`);
    assert.equal(del.status, 403);
    assert.deepEqual(del.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `pods "${pod}" is forbidden: User "sim-user" cannot delete resource "pods" in API group "" in the namespace "default"`,
      reason: 'Forbidden',
      details: { name: pod, kind: 'pods' },
      code: 403,
    });
    assert.ok(h.sim.get('v1', 'Pod', 'default', pod), 'still there');

    const secrets = await h.request('GET', '/api/v1/namespaces/default/secrets');
    assert.equal(secrets.status, 403);
    assert.equal(
      (secrets.json as { message: string }).message,
      'secrets is forbidden: User "sim-user" cannot list resource "secrets" in API group "" in the namespace "default": secrets are not for on-call',
    );
    const node = await h.request(
      'PATCH',
      '/api/v1/nodes/lke1-node-a',
      { spec: { unschedulable: true } },
      {
        'Content-Type': 'application/merge-patch+json',
      },
    );
    assert.equal(
      (node.json as { message: string }).message,
      'nodes "lke1-node-a" is forbidden: User "sim-user" cannot patch resource "nodes" in API group "" at the cluster scope',
    );
    const scale = await h.request('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
    assert.equal(scale.status, 403);
    assert.deepEqual((scale.json as { details: unknown }).details, {
      name: 'web',
      group: 'apps',
      kind: 'deployments',
    });
    assert.match(
      (scale.json as { message: string }).message,
      /cannot get resource "deployments\/scale" in API group "apps"/,
    );

    // Other verbs, namespaces and subresources are untouched.
    assert.equal((await h.request('GET', `/api/v1/namespaces/default/pods/${pod}`)).status, 200);
    assert.equal((await h.request('GET', '/apis/apps/v1/namespaces/default/deployments/web')).status, 200);
    const elsewhere = await h.request('DELETE', '/api/v1/namespaces/kube-system/pods/nothing-here');
    assert.equal(elsewhere.status, 404);
  });

  it('SelfSubjectAccessReview answers from the same policy, over JSON and through client-node', async () => {
    h.sim.access.setPolicy({
      user: 'sim-user',
      deny: [{ verb: 'delete', resource: 'pods', namespace: 'default' }],
    });
    const denied = await h.request(
      'POST',
      SSAR_PATH,
      review({ namespace: 'default', verb: 'delete', resource: 'pods' }),
    );
    assert.equal(denied.status, 201, denied.text);
    assert.deepEqual((denied.json as { status: unknown }).status, {
      allowed: false,
      denied: true,
      reason: 'User "sim-user" cannot delete resource "pods" in API group "" in the namespace "default"',
    });
    const allowed = await h.request(
      'POST',
      SSAR_PATH,
      review({ namespace: 'kube-system', verb: 'delete', resource: 'pods' }),
    );
    assert.deepEqual((allowed.json as { status: unknown }).status, { allowed: true });
    const neither = await h.request('POST', SSAR_PATH, { kind: 'SelfSubjectAccessReview', spec: {} });
    assert.equal(neither.status, 422);

    const api = h.kc.makeApiClient(k8s.AuthorizationV1Api);
    const answer = await api.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' } } },
    });
    assert.equal(answer.status?.allowed, false);
    assert.match(answer.status?.reason ?? '', /cannot delete resource "pods"/);
    const core = h.kc.makeApiClient(k8s.CoreV1Api);
    await assert.rejects(
      core.deleteNamespacedPod({ name: pod, namespace: 'default' }),
      (error: unknown) =>
        error instanceof k8s.ApiException &&
        error.code === 403 &&
        (JSON.parse(error.body as string) as { reason: string }).reason === 'Forbidden',
    );
  });

  it(
    'kubectl auth can-i (a protobuf review) and kubectl itself meet the policy',
    { skip: kubectlMissing },
    async () => {
      h.sim.access.setPolicy({
        user: 'sim-user',
        deny: [
          { verb: 'delete', resource: 'pods', namespace: 'default' },
          { verb: 'create', resource: 'pods/eviction' },
        ],
      });
      const no = await k.run('auth', 'can-i', 'delete', 'pods');
      assert.equal(no.code, 1);
      assert.equal(
        no.stdout.trim(),
        'no - User "sim-user" cannot delete resource "pods" in API group "" in the namespace "default"',
      );
      const yes = await k.run('auth', 'can-i', 'delete', 'pods', '-n', 'kube-system');
      assert.equal(yes.code, 0, yes.stderr);
      assert.equal(yes.stdout.trim(), 'yes');
      const evict = await k.run('auth', 'can-i', 'create', 'pods', '--subresource=eviction');
      assert.equal(evict.stdout.trim().split(' ')[0], 'no');

      const del = await k.run('delete', 'pod', pod);
      assert.equal(del.code, 1);
      assert.equal(
        del.stderr.trim(),
        `Error from server (Forbidden): pods "${pod}" is forbidden: User "sim-user" cannot delete resource "pods" in API group "" in the namespace "default"`,
      );
      assert.ok(h.sim.get('v1', 'Pod', 'default', pod));

      const drain = await k.run('drain', 'lke1-node-a', '--ignore-daemonsets', '--timeout=20s');
      assert.equal(drain.code, 1);
      assert.match(
        drain.stderr,
        new RegExp(
          `error when evicting pods/"${pod}" -n "default": pods "${pod}" is forbidden: User "sim-user" cannot create resource "pods/eviction" in API group "" in the namespace "default"`,
        ),
      );
      const still = h.sim.get('v1', 'Pod', 'default', pod);
      assert.ok(still && still.metadata.deletionTimestamp === undefined);

      h.sim.access.setPolicy({ user: 'sim-user', deny: [] });
      const now = await k.run('auth', 'can-i', 'delete', 'pods');
      assert.equal(now.stdout.trim(), 'yes');
      assert.equal((await k.run('uncordon', 'lke1-node-a')).code, 0);
    },
  );
});

describe('POST /_sim/policy', () => {
  let sim: RunningSimulator;
  const control = (method: string, body?: unknown) =>
    fetch(`${sim.url}/_sim/policy`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));
  const kube = (method: string, path: string) => fetch(`${sim.url}${path}`, { method });

  before(async () => {
    const scenario = findScenario('healthy');
    assert.ok(scenario !== undefined);
    sim = await startSimulator({ world: scenarioLoader(scenario), speed: 'instant' });
  });
  after(() => sim.stop());

  it('sets, shows and clears the deny rules the Kubernetes API enforces', async () => {
    assert.deepEqual((await control('GET')).json, { user: 'sim-user', deny: [] });
    const set = await control('POST', {
      user: 'oncall@example.com',
      deny: [{ verb: 'list', resource: 'nodes' }],
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { user: 'oncall@example.com', deny: [{ verb: 'list', resource: 'nodes' }] });
    const nodes = await kube('GET', '/api/v1/nodes');
    assert.equal(nodes.status, 403);
    assert.equal(
      ((await nodes.json()) as { message: string }).message,
      'nodes is forbidden: User "oncall@example.com" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    assert.equal((await kube('GET', '/api/v1/namespaces/default/pods')).status, 200);
    const cleared = await control('DELETE');
    assert.deepEqual(cleared.json, { user: 'sim-user', deny: [] });
    assert.equal((await kube('GET', '/api/v1/nodes')).status, 200);
  });

  it('refuses a policy it would misread, naming the field', async () => {
    const bad = await control('POST', { deny: [{ verb: 'delete', resource: 'pods', namespce: 'x' }] });
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.error), /deny\[0\]: unknown field "namespce"/);
    const missing = await control('POST', { deny: [{ verb: 'delete' }] });
    assert.match(String(missing.json.error), /deny\[0\]\.resource must be a non-empty string/);
    assert.equal((await control('POST', { rules: [] })).status, 400);
    assert.deepEqual((await control('GET')).json, { user: 'sim-user', deny: [] });
  });
});
