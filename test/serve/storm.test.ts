// A storm on loopback: thousands of notifications, mostly repeats, some unrouted, some resolved. Bounded
// (a fixed count, a few senders, each post with its deadline); counts the dry runs and the posts, sees
// two dry runs at once and never more, and finds not one mutating request in the simulator's log.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { routesInForce } from '../../src/cli/alerts/routes.js';
import { type RunningServe, startServe } from '../../src/serve/server.js';
import { type SentAlert, alertmanagerPayload, postTo } from '../helpers/alertmanager.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const TOKEN = 'serve-token-planted-77d0c3b5';
const NOTIFICATIONS = 3000;
const SENDERS = 16;

const pgDown = (namespace: string): SentAlert => ({
  status: 'firing',
  labels: { alertname: 'PostgresqlDown', namespace },
});
const nodeBalancerDown: SentAlert = { status: 'firing', labels: { alertname: 'NodeBalancerBackendDown' } };
const KINDS: readonly SentAlert[][] = [
  [pgDown('default')],
  [pgDown('default'), pgDown('staging')],
  [nodeBalancerDown],
  [{ status: 'firing', labels: { alertname: 'TeamAlertNobodyRouted' } }],
  [{ status: 'firing', labels: { alertname: 'AnotherUnroutedAlert' } }, pgDown('default')],
];

describe('runbook serve under a storm of notifications', () => {
  let h: SimHarness;
  let chat: Receiver;
  let serve: RunningServe;
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));

  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    chat = await startReceiver();
    serve = await startServe({
      host: '127.0.0.1',
      port: 0,
      env: h.env({ RUNBOOK_SERVE_TOKEN: TOKEN, DISCORD_WEBHOOK_URL: chat.url }),
      kubeconfig: h.kubeconfig,
      context: undefined,
      routes: routesInForce([]),
      stdout: logs,
    });
  });
  after(async () => {
    await chat.close();
    await h.stop();
  });

  it(
    `${NOTIFICATIONS} notifications: 3 dry runs, 2 "no runbook" posts, 1 follow-up; zero mutations`,
    { timeout: 240_000 },
    async () => {
      // First, one notification with two runbooks' alerts: both dry runs start at once.
      const first = alertmanagerPayload([pgDown('default'), nodeBalancerDown]);
      assert.equal((await postTo(serve.url, JSON.stringify(first), TOKEN)).status, 202);
      let next = 0;
      const statuses = new Map<number, number>();
      async function sender(): Promise<void> {
        for (let i = next++; i < NOTIFICATIONS; i = next++) {
          const body = JSON.stringify(alertmanagerPayload(KINDS[i % KINDS.length] ?? []));
          const { status } = await postTo(serve.url, body, TOKEN);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }
      await Promise.all(Array.from({ length: SENDERS }, sender));
      assert.deepEqual([...statuses], [[202, NOTIFICATIONS]]);
      await serve.intake.idle();
      // The resolved storm: only the first is followed up, and only for what was posted.
      for (let i = 0; i < 50; i++) {
        const resolved = alertmanagerPayload([{ ...pgDown('default'), status: 'resolved' }]);
        assert.equal((await postTo(serve.url, JSON.stringify(resolved), TOKEN)).status, 202);
      }
      await serve.stop();

      assert.equal(serve.intake.counts.dryRuns, 3);
      const contents = chat.bodies.map((b) => b.content ?? '');
      assert.equal(contents.length, 6, contents.join('\n---\n'));
      assert.equal(contents.filter((c) => c.startsWith('🔔 PostgresqlDown is firing')).length, 2);
      assert.equal(contents.filter((c) => c.startsWith('🔔 NodeBalancerBackendDown is firing')).length, 1);
      assert.equal(contents.filter((c) => c.startsWith('❔ No runbook answers')).length, 2);
      assert.equal(contents.filter((c) => c.startsWith('✅ PostgresqlDown resolved')).length, 1);

      const events = logText
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { event: string }).event);
      let running = 0;
      let most = 0;
      for (const event of events) {
        if (event === 'dry-run') most = Math.max(most, ++running);
        if (event === 'dry-run-done') running--;
      }
      assert.equal(most, 2, `two dry runs at a time at most, saw ${most}`);
      assert.deepEqual(h.mutations(), []);
      assert.deepEqual(h.previews(), []);
      assert.deepEqual(h.locks(), []);
      assert.ok(!logText.includes(TOKEN));
    },
  );
});
