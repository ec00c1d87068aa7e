// A storm on loopback: thousands of notifications, mostly repeats, some unrouted, some resolved. Bounded
// (a fixed count, a few senders, each post with its deadline); counts the dry runs and the posts, sees
// two dry runs at once and never more, and finds not one mutating request in the simulator's log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningServe } from '../../src/serve/server.js';
import type { SentAlert } from '../helpers/alertmanager.js';
import { type ServeWorld, startServeWorld } from '../helpers/serve-world.js';
import type { SimHarness } from '../helpers/sim.js';
import type { Receiver } from '../helpers/webhook-receiver.js';

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

  it(
    `${NOTIFICATIONS} notifications: 3 dry runs, 2 "no runbook" posts, 1 follow-up; zero mutations`,
    { timeout: 240_000 },
    async () => {
      // First, one notification with two runbooks' alerts: both dry runs start at once.
      assert.equal((await world.post(serve, [pgDown('default'), nodeBalancerDown])).status, 202);
      let next = 0;
      const statuses = new Map<number, number>();
      async function sender(): Promise<void> {
        for (let i = next++; i < NOTIFICATIONS; i = next++) {
          const { status } = await world.post(serve, KINDS[i % KINDS.length] ?? []);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }
      await Promise.all(Array.from({ length: SENDERS }, sender));
      assert.deepEqual([...statuses], [[202, NOTIFICATIONS]]);
      await serve.intake.idle();
      // The resolved storm: only the first is followed up, and only for what was posted.
      for (let i = 0; i < 50; i++) {
        const resolved = await world.post(serve, [{ ...pgDown('default'), status: 'resolved' }]);
        assert.equal(resolved.status, 202);
      }
      await serve.stop();

      assert.equal(serve.intake.counts.dryRuns, 3);
      const contents = chat.bodies.map((b) => b.content ?? '');
      assert.equal(contents.length, 6, contents.join('\n---\n'));
      assert.equal(contents.filter((c) => c.startsWith('🔔 PostgresqlDown is firing')).length, 2);
      assert.equal(contents.filter((c) => c.startsWith('🔔 NodeBalancerBackendDown is firing')).length, 1);
      assert.equal(contents.filter((c) => c.startsWith('❔ No runbook answers')).length, 2);
      assert.equal(contents.filter((c) => c.startsWith('✅ PostgresqlDown resolved')).length, 1);

      const events = world.logLines().map((l) => l.event);
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
      assert.ok(!world.logText().includes(TOKEN));
    },
  );
});
