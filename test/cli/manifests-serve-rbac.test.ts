// What `runbook manifests serve` grants is enough for serve and no more: its objects applied with the
// real kubectl 1.32, the simulator then enforcing RBAC for the ServiceAccount alone, an alert's dry run
// goes through (reads only; what the twin may go without is refused) and the post carries the plan.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { RunningServe } from '../../src/serve/server.js';
import { type ServeWorld, startServeWorld } from '../helpers/serve-world.js';
import type { SimHarness } from '../helpers/sim.js';
import type { Receiver } from '../helpers/webhook-receiver.js';
import { type Kubectl, createKubectl, kubectlMissing } from '../sim/kube/kubectl.js';

const TOKEN = 'serve-token-rbac-31c2';
const USER = 'system:serviceaccount:monitoring:runbook-serve';

async function manifests(args: readonly string[]): Promise<string> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd() };
  assert.equal(await main(['manifests', 'serve', ...args], io), 0);
  return out;
}

describe('runbook serve under the RBAC of runbook manifests serve', { skip: kubectlMissing }, () => {
  let world: ServeWorld;
  let h: SimHarness;
  let k: Kubectl;
  let chat: Receiver;
  let serve: RunningServe;
  let stopped = false;

  before(async () => {
    world = await startServeWorld('2020-12-11-postgres-conn-surge', TOKEN);
    ({ h, chat } = world);
    k = createKubectl(h.sim.url);
    assert.equal((await k.run('create', 'namespace', 'monitoring')).code, 0);
    const text = await manifests(['--namespace', 'monitoring', '--role-namespace', 'default']);
    const applied = await k.run('apply', '-f', k.file('serve.yaml', text));
    assert.equal(applied.code, 0, applied.stderr);
    const policy = await fetch(`${h.sim.url}/_sim/policy`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: USER, deny: [], rbac: true }),
    });
    assert.equal(policy.status, 200, await policy.text());
    serve = await world.startServe();
  });
  after(async () => {
    if (!stopped) await serve.stop(1000);
    k.close();
    await world.close();
  });

  it('PostgresqlDown: the dry run reads what it needs and posts its whole plan; nothing is sent but reads', async () => {
    const start = h.sim.requests.length;
    const answer = await world.post(serve, [
      { status: 'firing', labels: { alertname: 'PostgresqlDown', namespace: 'default' } },
    ]);
    assert.equal(answer.status, 202);
    await serve.intake.idle();
    await serve.stop(1000); // flushes the chat
    stopped = true;
    const refused = h.sim.requests.slice(start).filter((r) => r.status === 403);
    const post = chat.bodies[0]?.content ?? '';
    assert.match(post, /^Runbook: postgres-remount$/m);
    assert.match(post, /^• modelled: scale deployment default\/postgres from 1 to 0 /m);
    assert.doesNotMatch(post, /Predicted failure|forbidden/i);
    const since = h.sim.requests.slice(start);
    assert.deepEqual(
      since.filter((r) => r.method !== 'GET' && r.api !== 'control'),
      [],
      'no change sent',
    );
    // The twin's copies of what no runbook plans with (CRDs, RBAC objects, Ingresses, Jobs, Secrets'
    // list) are refused and left out, as the twin allows: reads only, and the plan is whole.
    assert.ok(
      refused.every((r) => r.method === 'GET'),
      JSON.stringify(refused),
    );
  });

  it('the same ServiceAccount is refused any change', async () => {
    const scale = await k.run('scale', 'deployment', 'postgres', '--replicas', '0', '-n', 'default');
    assert.notEqual(scale.code, 0);
    assert.match(scale.stderr, new RegExp(`User "${USER}" cannot (patch|update|get)`));
  });
});
