// The full round trip of `runbook serve`: Alertmanager's recorded-shape payload posted to it, the dry
// run on the 2020-12-11 scenario, and the chat post a local webhook server receives, its content read.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServe } from '../../src/serve/server.js';
import type { SimHarness } from '../helpers/sim.js';
import { type ServeWorld, startServeWorld } from '../helpers/serve-world.js';
import type { Receiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-9f3c1d7e';

describe('runbook serve: an alert in, the runbook and its dry run out to chat', () => {
  let world: ServeWorld;
  let h: SimHarness;
  let chat: Receiver;
  let serve: RunningServe;

  before(async () => {
    world = await startServeWorld('2020-12-11-postgres-conn-surge', TOKEN);
    ({ h, chat } = world);
    serve = await world.startServe();
  });
  after(() => world.close());

  it('resolved while its dry run is still running: the follow-up comes after the post', async () => {
    const alert = { alertname: 'PostgresqlDown', namespace: 'default' };
    assert.equal((await world.post(serve, [{ status: 'firing', labels: alert }])).status, 202);
    assert.equal((await world.post(serve, [{ status: 'resolved', labels: alert }])).status, 202);
    await serve.intake.idle();
    assert.equal(serve.intake.counts.dryRuns, 1);
    assert.equal(serve.intake.counts.posts, 2);
  });

  it('PostgresqlDown firing, then resolved: one post with the plan, one follow-up; no change sent', async () => {
    const answer = await world.post(serve, [
      { status: 'firing', labels: { alertname: 'PostgresqlDown', namespace: 'default' } },
    ]);
    assert.equal(answer.status, 202, answer.text);
    await serve.intake.idle();
    const resolved = await world.post(serve, [
      { status: 'resolved', labels: { alertname: 'PostgresqlDown', namespace: 'default' } },
    ]);
    assert.equal(resolved.status, 202);
    await serve.stop();

    // The test before left its firing post and follow-up first.
    const [post = '', followUp = ''] = chat.bodies.slice(2).map((b) => b.content ?? '');
    assert.equal(chat.bodies.length, 4, JSON.stringify(chat.bodies));
    assert.match(post, /^🔔 PostgresqlDown is firing \(.*namespace=default.*\)$/m);
    assert.match(post, /^Runbook: postgres-remount$/m);
    assert.match(post, /^Command: `runbook postgres-remount --namespace default`$/m);
    assert.match(post, /^Dry run \(on a twin of the cluster; nothing was changed\):$/m);
    assert.match(post, /^• modelled: scale deployment default\/postgres from 1 to 0 \[1\]$/m);
    assert.match(post, /^• modelled: scale deployment default\/postgres from 0 to 1 \[1\]$/m);
    // Each reason is said once, under the list.
    assert.equal(post.match(/checked on the twin; the receiver sends nothing/g)?.length, 1);
    assert.match(post, /^\[1\] checked on the twin; the receiver sends nothing to the live API server$/m);
    assert.doesNotMatch(post, /Predicted failure/);
    assert.match(followUp, /^✅ PostgresqlDown resolved \(.*namespace=default.*\): postgres-remount/);
    assert.match(chat.bodies[1]?.content ?? '', /^✅ PostgresqlDown resolved/);

    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.previews(), []);
    assert.deepEqual(h.locks(), []);
    assert.deepEqual(
      world
        .logLines()
        .map((l) => l.event)
        .filter((e) => e.startsWith('dry-run')),
      ['dry-run', 'dry-run-done', 'dry-run', 'dry-run-done'],
    );
    assert.ok(!world.logText().includes(TOKEN));
    assert.ok(!world.logText().includes(chat.url));
  });
});

describe('runbook serve: two runbooks dry-run at once, each on its own twin', () => {
  const PRIMARY = 'lke13311-20304-5ffa4d0d8a1c';
  let world: ServeWorld;
  let h: SimHarness;
  let chat: Receiver;
  let serve: RunningServe;

  before(async () => {
    world = await startServeWorld('2021-01-10-primary-kubernetes-node-outage', TOKEN);
    ({ h, chat } = world);
    serve = await world.startServe();
  });
  after(() => world.close());

  it("node-recycle's twin recycles at Linode while postgres-remount's twin runs: each post its own, live sees reads only", async () => {
    // One notification with both: the intake starts both dry runs at once (and the third waits).
    const both = await world.post(serve, [
      { status: 'firing', labels: { alertname: 'KubeNodeNotReady', node: PRIMARY } },
      { status: 'firing', labels: { alertname: 'PostgresqlDown', namespace: 'default' } },
      { status: 'firing', labels: { alertname: 'NodeBalancerBackendDown' } },
    ]);
    assert.equal(both.status, 202);
    await serve.intake.idle();
    await serve.stop();

    const events = world.logLines().filter((l) => l.event.startsWith('dry-run'));
    assert.deepEqual(
      events.slice(0, 2).map((e) => `${e.event} ${e.runbook ?? ''}`),
      ['dry-run node-recycle', 'dry-run postgres-remount'],
    );
    let running = 0;
    let most = 0;
    for (const { event } of events) {
      if (event === 'dry-run') most = Math.max(most, ++running);
      if (event === 'dry-run-done') running--;
    }
    assert.equal(most, 2);

    const posts = chat.bodies.map((b) => b.content ?? '');
    assert.equal(posts.length, 3, posts.join('\n---\n'));
    const recycle = posts.find((p) => p.startsWith('🔔 KubeNodeNotReady is firing')) ?? '';
    assert.match(recycle, /^Runbook: node-recycle$/m);
    assert.match(recycle, new RegExp(`^Command: \`runbook node-recycle --node ${PRIMARY}\`$`, 'm'));
    assert.match(recycle, new RegExp(`^• modelled: cordon node ${PRIMARY} `, 'm'));
    const mark = new RegExp(`^• modelled: recycle LKE node ${PRIMARY} .*\\[(\\d)\\]$`, 'm').exec(
      recycle,
    )?.[1];
    assert.ok(mark !== undefined, recycle);
    assert.match(recycle, new RegExp(`^\\[${mark}\\] .*applied to the twin only`, 'm'));
    assert.doesNotMatch(recycle, /postgres/);
    const remount = posts.find((p) => p.startsWith('🔔 PostgresqlDown is firing')) ?? '';
    assert.match(remount, /^Command: `runbook postgres-remount --namespace default`$/m);
    assert.match(remount, /^• modelled: scale deployment default\/postgres from 1 to 0 /m);
    assert.doesNotMatch(remount, /recycle|cordon/);
    const balancers = posts.find((p) => p.startsWith('🔔 NodeBalancerBackendDown is firing')) ?? '';
    assert.match(balancers, /^Predicted failure: This Linode account has no NodeBalancer/m);

    // The live simulator: not one mutating request (Linode or Kubernetes), preview or lock.
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.previews(), []);
    assert.deepEqual(h.locks(), []);
    assert.ok(h.sim.requests.some((r) => r.api === 'linode' && r.path.endsWith('/pools')));
    assert.ok(!world.logText().includes(TOKEN));
  });
});
