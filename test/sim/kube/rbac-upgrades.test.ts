// RBAC on the upgraded connections: with `rbac: true`, a port-forward is `create` on pods/portforward
// and an exec `create` on pods/exec (as kube-apiserver authorizes the upgrades), for the real kubectl
// 1.32 and for runbook's own port-forward alike: through when a bound Role grants it, refused (kubectl
// shows the real words) when not.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { accessControlOf } from '../../../src/sim/kube/authorization.js';
import { connectKube } from '../../../src/providers/kubernetes/index.js';
import { openPortForward } from '../../../src/providers/postgres/port-forward.js';
import { SUPERUSER_PASSWORD, type TestPostgres } from '../../helpers/postgres.js';
import { kubectlMissing } from './kubectl.js';
import { type SimKubectl, startPostgresPod, stopPostgresPod } from './sim-kubectl.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const READS = [
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
];
const FORWARD = { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] };

/** From now on the simulator's callers are ServiceAccount default/`name`, bound to a Role with `rules`. */
function actAs(s: SimKubectl, name: string, rules: object[]): string {
  s.sim.world.kube.create({
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name, namespace: 'default' },
    rules,
  });
  s.sim.world.kube.create({
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name, namespace: 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: 'default' }],
  });
  const user = `system:serviceaccount:default:${name}`;
  const access = accessControlOf(s.sim.world.kube);
  assert.ok(access);
  access.setPolicy({ user, deny: [], rbac: true });
  return user;
}

/** The server's answer to `select 1` on 127.0.0.1:`port` (a forwarded port), or why it failed. */
async function selectOne(port: number): Promise<string> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: SUPERUSER_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 10_000,
  });
  try {
    await client.connect();
    const { rows } = await client.query<{ one: number }>('select 1 as one');
    return String(rows[0]?.one);
  } catch (error) {
    return error instanceof Error ? `failed: ${error.message}` : 'failed';
  } finally {
    await client.end().catch(() => undefined);
  }
}

const refusal = (pod: string, user: string): string =>
  `pods "${pod}" is forbidden: User "${user}" cannot create resource "pods/portforward" in API group "" in the namespace "default"`;

describe('RBAC on port-forward and exec connections', { skip: kubectlMissing }, () => {
  let s: SimKubectl;
  let db: TestPostgres;
  let pod: string;
  before(async () => {
    ({ s, db, pod } = await startPostgresPod({ registered: true }));
  });
  after(() => stopPostgresPod(s, db));

  it('kubectl port-forward without create on pods/portforward: the real Forbidden, nothing forwarded', async () => {
    const user = actAs(s, 'no-forward', READS);
    const running = s.k.start('port-forward', `pod/${pod}`, ':5432');
    const result = await running.done;
    assert.notEqual(result.code, 0);
    assert.ok(result.stderr.includes(refusal(pod, user)), result.stderr);
    assert.doesNotMatch(result.stdout, /Forwarding from/);
  });

  it('kubectl port-forward with it granted: past the authorization', async () => {
    actAs(s, 'forward', [...READS, FORWARD]);
    const result = await s.k.run('port-forward', `pod/${pod}`, ':5432');
    // The simulator carries the v4.channel.k8s.io WebSocket (client-node's, below), not kubectl's SPDY
    // tunnel, so kubectl stops after the upgrade was authorized: what matters here is no Forbidden.
    assert.doesNotMatch(result.stderr, /forbidden/i);
    assert.match(result.stderr, /unable to upgrade connection: Invalid HTTP method/);
  });

  it("runbook's own port-forward: refused with the real words without the grant, through with it", async () => {
    const kube = await connectKube({
      kubeconfig: s.k.file('runbook-kubeconfig', s.sim.kubeconfig()),
      env: {},
    });
    actAs(s, 'provider-no-forward', READS);
    const refused = await openPortForward(kube, { namespace: 'default', deployment: 'postgres' });
    try {
      assert.match(await selectOne(refused.localPort), /^failed/);
      // client-node's WebSocket gives only the status, not the body with the server's words: the
      // problem names what a 403 on a port-forward means, and where the rule comes from.
      assert.match(
        refused.problem() ?? '',
        new RegExp(
          `refused the port-forward to pod default/${refused.pod} \\(403 Forbidden: this identity may not create pods/portforward in namespace default; \`runbook rbac <runbook>\` prints`,
        ),
      );
    } finally {
      await refused.close();
    }
    actAs(s, 'provider-forward', [...READS, FORWARD]);
    const granted = await openPortForward(kube, { namespace: 'default', deployment: 'postgres' });
    try {
      assert.equal(await selectOne(granted.localPort), '1');
    } finally {
      await granted.close();
    }
  });

  it('kubectl exec: the real Forbidden without create on pods/exec, the command runs with it', async () => {
    const user = actAs(s, 'no-exec', READS);
    const refused = await s.k.run('exec', pod, '--', 'hostname');
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      `Error from server (Forbidden): pods "${pod}" is forbidden: User "${user}" cannot create resource "pods/exec" in API group "" in the namespace "default"\n`,
    );
    actAs(s, 'exec', [...READS, { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]);
    const allowed = await s.k.run('exec', pod, '--', 'hostname');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.stdout, `${pod}\n`);
  });
});
