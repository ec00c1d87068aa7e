// The windows of `runbook serve`, on the serve's own clock: a repeat within 5 minutes folds, one after
// starts a new dry run; an unrouted name is posted once an hour; a dry run past its bound is cut and
// the post says so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SentAlert } from '../helpers/alertmanager.js';
import { type ServeWorld, startServeWorld } from '../helpers/serve-world.js';
import type { SimHarness } from '../helpers/sim.js';
import type { Receiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-5c1e8b40';
const MINUTE = 60_000;
const firing = (alertname: string): SentAlert[] => [
  { status: 'firing', labels: { alertname, namespace: 'default' } },
];

describe('runbook serve: folding, the hourly unrouted post, the dry-run bound', () => {
  let world: ServeWorld;
  let h: SimHarness;
  let chat: Receiver;
  before(async () => {
    world = await startServeWorld('2020-12-11-postgres-conn-surge', TOKEN);
    ({ h, chat } = world);
  });
  after(() => world.close());

  it('repeats fold for 5 minutes; an unrouted name is posted again only after an hour', async () => {
    let now = Date.parse('2020-12-11T13:24:00Z');
    const serve = await world.startServe({ now: () => now });
    const send = async (name: string) => {
      assert.equal((await world.post(serve, firing(name))).status, 202);
      await serve.intake.idle();
    };
    await send('PostgresqlDown');
    now += 4 * MINUTE;
    await send('PostgresqlDown');
    assert.deepEqual(serve.intake.counts, { dryRuns: 1, folded: 1, posts: 1 });
    now += 2 * MINUTE;
    await send('PostgresqlDown');
    assert.equal(serve.intake.counts.dryRuns, 2);

    await send('NothingAnswersThis');
    now += 59 * MINUTE;
    await send('NothingAnswersThis');
    assert.equal(serve.intake.counts.posts, 3);
    now += 2 * MINUTE;
    await send('NothingAnswersThis');
    assert.equal(serve.intake.counts.posts, 4);
    await serve.stop();
    assert.deepEqual(h.mutations(), []);
  });

  it('a dry run past its bound is cut, and the post says so', async () => {
    const before = chat.bodies.length;
    const serve = await world.startServe({ dryRunMs: 50 });
    assert.equal((await world.post(serve, firing('PostgresqlDown'))).status, 202);
    await serve.stop();
    const post = chat.bodies.slice(before).map((b) => b.content ?? '');
    assert.equal(post.length, 1);
    assert.match(post[0] ?? '', /^Predicted failure: cut at its bound of 50 ms$/m);
    assert.deepEqual(h.mutations(), []);
  });
});
