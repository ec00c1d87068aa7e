// `runbook serve` as it runs in a cluster: its kube identity is a ServiceAccount bound only to the
// generated read-only Role and ClusterRole (`runbook rbac --read-only`, RBAC enforced by the simulator),
// its Linode token holds only the derived read-only scopes. Every routed runbook's dry run gets through
// with no 401 or 403 but the twin's optional copies, and the posts carry plans, not refusals.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RUNBOOKS } from '../../runbooks/index.js';
import { kindsOf, permissionsOfAll } from '../../src/engine/permissions/derive.js';
import { linodeScopesOf, rbacYaml } from '../../src/engine/permissions/rbac-yaml.js';
import type { RunningServe } from '../../src/serve/server.js';
import { accessControlOf } from '../../src/sim/kube/authorization.js';
import type { KubeObject } from '../../src/sim/world.js';
import type { SentAlert } from '../helpers/alertmanager.js';
import { type ServeWorld, startServeWorld } from '../helpers/serve-world.js';
import type { SimHarness } from '../helpers/sim.js';
import type { Receiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-2b7e90aa';
const PRIMARY = 'lke13311-20304-5ffa4d0d8a1c';
const SECONDARY = 'lke13311-20304-5ffa4d11faab';
const SERVICE_ACCOUNT = 'runbook-serve';
/**
 * Reads a twin makes only where it may, refused under the read-only Role on purpose: Secrets (the twin
 * assumes those the workloads name) and a repository's other kinds. Anything else refused is a read the
 * derivation (src/engine/permissions) is missing.
 */
const LEFT_OUT_OF_TWINS =
  /^kubernetes GET \/(api\/v1|apis\/[a-z0-9.]+\/v1)\/(namespaces\/[a-z0-9-]+\/)?(secrets|serviceaccounts|roles|rolebindings|clusterroles|clusterrolebindings|ingresses|ingressclasses|networkpolicies|cronjobs|jobs|customresourcedefinitions) 403$/;
const LINODE_AREAS = ['events', 'linodes', 'lke', 'nodebalancers', 'volumes'];

/** One alert for each runbook this scenario can dry-run without Postgres (see postgres-serve.test.ts). */
const ALERTS: readonly SentAlert[] = [
  { status: 'firing', labels: { alertname: 'KubeNodeNotReady', node: PRIMARY } },
  { status: 'firing', labels: { alertname: 'KubeNodeReadinessFlapping', node: SECONDARY } },
  { status: 'firing', labels: { alertname: 'KubePodCrashLooping', namespace: 'default' } },
  { status: 'firing', labels: { alertname: 'KubeContainerWaiting', namespace: 'default' } },
  { status: 'firing', labels: { alertname: 'KubeCPUOvercommit' } },
  { status: 'firing', labels: { alertname: 'PostgresqlDown', namespace: 'default' } },
  { status: 'firing', labels: { alertname: 'NodeBalancerBackendDown' } },
];

describe('runbook serve under its generated read-only Role and token scopes', () => {
  let world: ServeWorld;
  let h: SimHarness;
  let chat: Receiver;
  let serve: RunningServe;

  before(async () => {
    world = await startServeWorld('2021-01-10-primary-kubernetes-node-outage', TOKEN);
    ({ h, chat } = world);
    const permissions = permissionsOfAll(
      RUNBOOKS.filter((r) => kindsOf(r) !== undefined),
      'read-only',
    );
    const yaml = rbacYaml(
      permissions,
      { namespace: 'default', serviceAccount: SERVICE_ACCOUNT, name: 'runbook-read-only' },
      'serve',
    );
    for (const doc of parseAllDocuments(yaml)) h.sim.world.kube.create(doc.toJS() as KubeObject);
    const access = accessControlOf(h.sim.world.kube);
    assert.ok(access);
    access.setPolicy({ user: `system:serviceaccount:default:${SERVICE_ACCOUNT}`, deny: [], rbac: true });
    // The Linode token: the derived read-only scopes and nothing more.
    const scopes = linodeScopesOf(permissions);
    assert.ok(
      scopes.every((s) => s.endsWith(':read_only')),
      scopes.join(' '),
    );
    for (const area of LINODE_AREAS)
      h.sim.world.faults.add({
        kind: 'linode-missing-scope',
        scope: scopes.includes(`${area}:read_only`) ? `${area}:read_write` : `${area}:read_only`,
      });
    serve = await world.startServe();
  });
  after(() => world.close());

  it('every routed dry run gets through: no 401 or 403, each post a plan, nothing changed', async () => {
    const sentAt = h.sim.requests.length;
    // The Role is enforced: outside it, the same identity is refused.
    const outside = await fetch(`${h.sim.url}/api/v1/namespaces/default/secrets`, {
      headers: { Authorization: `Bearer ${kubeToken(h)}` },
    });
    assert.equal(outside.status, 403);

    const answer = await world.post(serve, ALERTS);
    assert.equal(answer.status, 202, answer.text);
    await serve.intake.idle();
    await serve.stop();

    // Refused, by design: what a twin copies only when it may (src/providers/kubernetes/raw.ts).
    const refused = h.sim.requests
      .slice(sentAt + 1)
      .filter((r) => r.status === 401 || r.status === 403)
      .map((r) => `${r.api} ${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(
      refused.filter((r) => !LEFT_OUT_OF_TWINS.test(r)),
      [],
    );
    assert.ok(refused.some((r) => r.endsWith('/secrets 403')));
    assert.ok(h.sim.requests.length - sentAt > 50, 'the dry runs read the live world');

    const posts = chat.bodies.map((b) => b.content ?? '');
    assert.equal(posts.length, ALERTS.length, posts.join('\n---\n'));
    for (const post of posts) {
      assert.match(post, /^Dry run \(on a twin of the cluster; nothing was changed\):$/m);
      assert.doesNotMatch(post, /forbidden|refused|cannot (get|list|watch)|401|403/i, post);
    }
    const recycle = posts.find((p) => p.startsWith('🔔 KubeNodeNotReady')) ?? '';
    assert.match(recycle, new RegExp(`^• modelled: recycle LKE node ${PRIMARY} `, 'm'));
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.previews(), []);
    assert.deepEqual(h.locks(), []);
  });
});

/** The bearer token of the simulator's kubeconfig (the identity the policy names). */
function kubeToken(h: SimHarness): string {
  const match = /token: (\S+)/.exec(h.sim.kubeconfig());
  assert.ok(match?.[1] !== undefined);
  return match[1];
}
