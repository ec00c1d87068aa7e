// Two Linode connections in one process (a live reader and its dry-run twin; two dry runs in `serve`)
// each reach their own server with their own token, however their calls interleave; a request made
// outside any connection is refused. Real HTTP: two simulators on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { baseRequest } from '@linode/api-v4';
import type { LinodeReader, LinodeWriter } from '../../src/engine/ports.js';
import {
  type LinodeClient,
  connectLinode,
  createLinodeReader,
  createLinodeWriter,
} from '../../src/providers/linode/index.js';
import type { RequestRecord } from '../../src/sim/world.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const ROUNDS = 40;

const linodeRequests = (h: SimHarness): RequestRecord[] => h.sim.requests.filter((r) => r.api === 'linode');

describe('two Linode connections in one process', () => {
  let live: SimHarness;
  let twin: SimHarness;
  let liveClient: LinodeClient;
  let twinClient: LinodeClient;
  let liveRead: LinodeReader;
  let twinRead: LinodeReader;
  let twinWrite: LinodeWriter;

  before(async () => {
    [live, twin] = await Promise.all([startSimHarness('healthy'), startSimHarness('healthy')]);
    assert.notEqual(live.sim.linodeToken, twin.sim.linodeToken);
    live.sim.world.linode.createVolume({ label: 'only-on-live', size: 10 });
    twin.sim.world.linode.createVolume({ label: 'only-on-twin', size: 10 });
    liveClient = await connectLinode({ env: live.env() });
    twinClient = await connectLinode({ env: twin.env() });
    liveRead = createLinodeReader(liveClient);
    twinRead = createLinodeReader(twinClient);
    twinWrite = createLinodeWriter(twinClient);
  });
  after(async () => {
    await Promise.all([live.stop(), twin.stop()]);
  });

  it('sends every interleaved call to its own server with its own token (the twin connected last)', async () => {
    const liveBefore = linodeRequests(live).length;
    const labels = (volumes: readonly { label: string }[]): string[] => volumes.map((v) => v.label);
    const liveCalls = Array.from({ length: ROUNDS }, async (_, i) => {
      if (i % 3 === 0) return labels((await liveRead.snapshot()).volumes);
      if (i % 3 === 1) return labels(await liveRead.listVolumes());
      return labels(await liveRead.findVolumes('only-on-live'));
    });
    const twinCalls = Array.from({ length: ROUNDS }, async (_, i) => {
      // The twin's changes are what must never reach live: a create on every round.
      await twinWrite.createVolume({ label: `made-on-twin-${i}`, size: 10, region: 'us-east' });
      return labels(await twinRead.listVolumes());
    });
    const [liveSeen, twinSeen] = await Promise.all([Promise.all(liveCalls), Promise.all(twinCalls)]);

    for (const seen of liveSeen) {
      assert.ok(seen.includes('only-on-live'), `live answered ${seen.join(', ')}`);
      assert.ok(!seen.some((l) => l.startsWith('only-on-twin') || l.startsWith('made-on-twin')));
    }
    for (const seen of twinSeen) {
      assert.ok(seen.includes('only-on-twin'), `twin answered ${seen.join(', ')}`);
      assert.ok(!seen.includes('only-on-live'));
    }

    // Each server's own log: live got reads only, all accepted (a foreign token is answered 401).
    const liveLog = linodeRequests(live).slice(liveBefore);
    assert.ok(liveLog.length >= ROUNDS, `live saw ${liveLog.length} requests`);
    assert.deepEqual(
      liveLog.filter((r) => r.method !== 'GET'),
      [],
    );
    assert.deepEqual(
      liveLog.filter((r) => r.status !== 200).map((r) => `${r.method} ${r.path} ${r.status}`),
      [],
    );
    const twinLog = linodeRequests(twin);
    assert.equal(twinLog.filter((r) => r.method === 'POST' && r.path === '/v4/volumes').length, ROUNDS);
    assert.deepEqual(
      twinLog.filter((r) => r.status !== 200).map((r) => `${r.method} ${r.path} ${r.status}`),
      [],
    );
    assert.equal(live.sim.world.linode.volumeByLabel('made-on-twin-0'), undefined);
    assert.ok(twin.sim.world.linode.volumeByLabel(`made-on-twin-${ROUNDS - 1}`) !== undefined);
  });

  it('refuses a library request made outside any connection, and sends nothing', async () => {
    const before = linodeRequests(live).length;
    await assert.rejects(baseRequest.get(`${live.sim.linodeApiUrl}/profile`), (error: Error) => {
      assert.match(error.message, /outside any connection, so it was refused/);
      return true;
    });
    await assert.rejects(
      baseRequest.get('https://api.linode.com/v4/profile'),
      /outside any connection, so it was refused/,
    );
    assert.equal(linodeRequests(live).length, before);
  });

  it("refuses a request a connection addresses to another connection's server", async () => {
    const before = linodeRequests(twin).length;
    await assert.rejects(
      liveClient.call((lib) => lib.baseRequest.get(`${twin.sim.linodeApiUrl}/profile`)),
      /another endpoint than its connection's/,
    );
    assert.equal(linodeRequests(twin).length, before);
  });
});
