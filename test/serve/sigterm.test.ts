// `runbook serve` stopped by SIGTERM (as Kubernetes stops a pod) while a dry run is in flight: it stops
// taking notifications, lets the dry run finish and its post go out, logs that it stopped, exits 0.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { alertmanagerPayload, postTo } from '../helpers/alertmanager.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { type ServeWorld, startServeWorld } from '../helpers/serve-world.js';
import type { SimHarness } from '../helpers/sim.js';
import type { Receiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-0a6f93d2';

describe('runbook serve and SIGTERM', () => {
  let world: ServeWorld;
  let h: SimHarness;
  let chat: Receiver;
  before(async () => {
    world = await startServeWorld('2020-12-11-postgres-conn-surge', TOKEN);
    ({ h, chat } = world);
  });
  after(() => world.close());

  it('a dry run in flight finishes and is posted; then exit 0', { timeout: 120_000 }, async () => {
    const child = execa(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0'], {
      env: world.env(),
      extendEnv: false,
      reject: false,
      cwd: ROOT,
      timeout: 90_000,
      // execa would follow SIGTERM with SIGKILL after 5 s: a loaded machine's dry run takes longer.
      forceKillAfterDelay: false,
    });
    let stdout = '';
    let url: string | undefined;
    let sent = false;
    const listening = new Promise<string>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        url ??= /"event":"listening","url":"([^"]+)"/.exec(stdout)?.[1];
        if (url !== undefined) resolve(url);
        if (!sent && stdout.includes('"event":"dry-run"')) {
          sent = true;
          child.kill('SIGTERM');
        }
      });
    });
    const at = await Promise.race([listening, child.then(() => undefined)]);
    assert.ok(at !== undefined, stdout);
    const firing = alertmanagerPayload([
      { status: 'firing', labels: { alertname: 'PostgresqlDown', namespace: 'default' } },
    ]);
    assert.equal((await postTo(at, JSON.stringify(firing), TOKEN)).status, 202);
    const ended = await child;
    assert.ok(sent, stdout);
    assert.equal(ended.exitCode, 0, `${ended.stderr}\n${stdout}`);
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event: string }).event);
    // SIGTERM is sent once the dry run started; on a loaded machine it may have ended before the
    // signal is handled: either way it is posted before the serve says it stopped.
    assert.deepEqual([...events].sort(), ['dry-run', 'dry-run-done', 'listening', 'stopped', 'stopping']);
    assert.equal(events[0], 'listening');
    assert.equal(events.at(-1), 'stopped');
    assert.equal(chat.bodies.length, 1);
    assert.match(chat.bodies[0]?.content ?? '', /^Command: `runbook postgres-remount --namespace default`$/m);
    await assert.rejects(fetch(`${at}/healthz`));
    assert.ok(!stdout.includes(TOKEN) && !ended.stderr.includes(TOKEN));
    assert.deepEqual(h.mutations(), []);
  });
});
