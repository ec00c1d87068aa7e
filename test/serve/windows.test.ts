// The windows of `runbook serve`, on the serve's own clock: a repeat within 5 minutes folds, one after
// starts a new dry run; an unrouted name is posted once an hour; a dry run past its bound is cut and
// the post says so.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { routesInForce } from '../../src/cli/alerts/routes.js';
import { type RunningServe, startServe } from '../../src/serve/server.js';
import { alertmanagerPayload, postTo } from '../helpers/alertmanager.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-5c1e8b40';
const MINUTE = 60_000;
const firing = (alertname: string) =>
  JSON.stringify(alertmanagerPayload([{ status: 'firing', labels: { alertname, namespace: 'default' } }]));

describe('runbook serve: folding, the hourly unrouted post, the dry-run bound', () => {
  let h: SimHarness;
  let chat: Receiver;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    chat = await startReceiver();
  });
  after(async () => {
    await chat.close();
    await h.stop();
  });

  async function serveWith(extra: { now?: () => number; dryRunMs?: number }): Promise<RunningServe> {
    return startServe({
      host: '127.0.0.1',
      port: 0,
      env: h.env({ RUNBOOK_SERVE_TOKEN: TOKEN, DISCORD_WEBHOOK_URL: chat.url }),
      kubeconfig: h.kubeconfig,
      context: undefined,
      routes: routesInForce([]),
      stdout: new PassThrough().resume(),
      ...extra,
    });
  }

  it('repeats fold for 5 minutes; an unrouted name is posted again only after an hour', async () => {
    let now = Date.parse('2020-12-11T13:24:00Z');
    const serve = await serveWith({ now: () => now });
    const send = async (name: string) => {
      assert.equal((await postTo(serve.url, firing(name), TOKEN)).status, 202);
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
    const serve = await serveWith({ dryRunMs: 50 });
    assert.equal((await postTo(serve.url, firing('PostgresqlDown'), TOKEN)).status, 202);
    await serve.stop();
    const post = chat.bodies.slice(before).map((b) => b.content ?? '');
    assert.equal(post.length, 1);
    assert.match(post[0] ?? '', /^Predicted failure: cut at its bound of 50 ms$/m);
    assert.deepEqual(h.mutations(), []);
  });
});
