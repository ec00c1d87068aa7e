import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { createWebhookNotifier } from '../../src/providers/notify/index.js';
import { startReceiver } from '../helpers/webhook-receiver.js';

describe('the chat webhook notifier', () => {
  it('delivers in order, waiting out a 429 for as long as retry_after says', async () => {
    const receiver = await startReceiver({ rateLimitFirst: 2 });
    const notifier = createWebhookNotifier({ url: receiver.url, flavour: 'discord' });
    for (const text of ['one', 'two', 'three']) notifier.post(text);
    await notifier.flush(5_000);
    assert.deepEqual(
      receiver.bodies.map((b) => b.content),
      ['one', 'two', 'three'],
    );
    assert.equal(receiver.limited, 2);
    assert.equal(notifier.dropped, 0);
    await receiver.close();
  });

  it('speaks the Slack-compatible shape too', async () => {
    const receiver = await startReceiver();
    const notifier = createWebhookNotifier({ url: receiver.url, flavour: 'slack' });
    notifier.post('hello');
    await notifier.flush(5_000);
    assert.deepEqual(receiver.bodies, [{ text: 'hello' }]);
    await receiver.close();
  });

  it('a receiver that is down costs a dropped message, never an error', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    assert.ok(address !== null && typeof address === 'object');
    const notifier = createWebhookNotifier({
      url: `http://127.0.0.1:${address.port}/hook`,
      flavour: 'discord',
    });
    notifier.post('nobody listens');
    await notifier.flush(5_000);
    assert.equal(notifier.dropped, 1);
  });
});
