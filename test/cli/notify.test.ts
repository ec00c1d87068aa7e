// A run in the team's chat: start, each change, the end, with the run id, and no secret.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

describe('progress in chat', () => {
  let h: SimHarness;
  let receiver: Receiver;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    receiver = await startReceiver({ rateLimitFirst: 1 });
  });
  after(async () => {
    await receiver.close();
    await h.stop();
  });

  it('posts the start, every change and the end of a run to DISCORD_WEBHOOK_URL', async () => {
    const result = await runCli(['postgres-remount', '--yes'], {
      env: h.env({ DISCORD_WEBHOOK_URL: receiver.url }),
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const runId = /run {6}(\S+)/.exec(result.stdout)?.[1] ?? 'no run id';
    const messages = receiver.bodies.map((b) => b.content ?? '');
    assert.match(
      messages[0] ?? '',
      new RegExp(`started \`postgres-remount\` on lke13311-ctx — run ${runId}`),
    );
    assert.ok(messages.some((m) => /^✓ force-delete pod default\/postgres-/.test(m)));
    assert.ok(messages.some((m) => /^✓ detach Linode volume pvc/.test(m)));
    assert.match(messages.at(-1) ?? '', new RegExp(`finished — run ${runId}$`));
    assert.equal(messages.length, 6, 'start, four changes, end');
    const everything = messages.join('\n');
    assert.ok(!everything.includes(h.sim.linodeToken));
    assert.ok(!everything.includes('token-in-the-url'), 'the webhook URL is a secret too');
  });

  it('a dry run posts nothing: chat never reads a rehearsal as a change', async () => {
    const quiet = await startReceiver();
    try {
      const result = await runCli(['postgres-remount', '--dry-run'], {
        env: h.env({ DISCORD_WEBHOOK_URL: quiet.url }),
      });
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /DRY RUN/);
      assert.deepEqual(quiet.bodies, []);
    } finally {
      await quiet.close();
    }
  });

  it('a chat that is down does not stop or fail the run', async () => {
    const result = await runCli(['postgres-remount', '--yes'], {
      env: h.env({ DISCORD_WEBHOOK_URL: 'http://127.0.0.1:9/unreachable' }),
    });
    assert.equal(result.exitCode, 0, result.stderr);
  });

  it('tells the team when a wait runs long, and why it is still waiting', async () => {
    const slow = await startSimHarness('2020-12-11-postgres-conn-surge', 10);
    const listener = await startReceiver();
    try {
      const result = await runCli(['postgres-remount', '--yes'], {
        env: slow.env({ DISCORD_WEBHOOK_URL: listener.url, RUNBOOK_LONG_WAIT_SECONDS: '1' }),
      });
      assert.equal(result.exitCode, 0, result.stderr);
      const waiting = listener.bodies.map((b) => b.content ?? '').filter((m) => m.startsWith('⏳'));
      assert.ok(
        waiting.some((m) => /still waiting after 1s: 1 pod left: postgres-\S+ Terminating/.test(m)),
        waiting.join('\n'),
      );
    } finally {
      await listener.close();
      await slow.stop();
    }
  });
});
