// Run by test/engine/bounds-under-gc.test.ts as
// `node --expose-gc --import tsx --import ./test/helpers/gc-pressure.mjs <this> <case>`: one bounded
// wait that can never end by itself, under forced garbage collection; prints one JSON line saying how
// it ended, after how long (real and, for waits, simulated) and how many collections ran meanwhile.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRunbookError } from '../../src/engine/errors.js';
import { runWait } from '../../src/engine/wait-runner.js';
import type { Wait } from '../../src/engine/vocabulary/index.js';
import { connectTarget } from '../../src/cli/target.js';
import { createWebhookNotifier } from '../../src/providers/notify/webhook.js';
import { simWaitClock } from '../../src/sim/wait-clock.js';
import { startSimHarness } from './sim.js';

declare global {
  var gcPressure: { start(): void; collections(): number } | undefined;
}

const collections = (): number => globalThis.gcPressure?.collections() ?? -1;

/** What one case reports on its last line, as JSON, to the test that spawned it. */
export interface Ended {
  readonly code?: string;
  readonly message: string;
  readonly realMs: number;
  readonly simMs?: number;
  readonly collections: number;
  readonly progress?: readonly string[];
  readonly dropped?: number;
  readonly requests?: number;
}

/**
 * Simulated seconds per real second: a 300 s wait is 15 real seconds, time enough for the wait's
 * first look at the cluster under forced collections on a busy machine.
 */
export const SPEED = 20;

/** A wait on a simulated cluster, bounded on the simulator's clock. */
async function waitOnSimulator(makeWait: (volume: { id: number; label: string }) => Wait): Promise<Ended> {
  const h = await startSimHarness('healthy', SPEED);
  try {
    const target = await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() });
    const attached = (await target.read.linode.listVolumes()).find((v) => v.linode_id !== null);
    if (attached === undefined) throw new Error('the healthy scenario has no attached volume');
    const wait = makeWait({ id: attached.id, label: attached.label });
    const clock = simWaitClock(h.sim.world.clock);
    const progress: string[] = [];
    const realStart = Date.now();
    const simStart = clock.now();
    globalThis.gcPressure?.start();
    const before = collections();
    try {
      const outcome = await runWait(wait, target.read, {
        signal: new AbortController().signal,
        onProgress: (why) => progress.push(why),
        clock,
      });
      return {
        message: `ended by itself: ${outcome.detail}`,
        realMs: Date.now() - realStart,
        collections: 0,
      };
    } catch (error) {
      return {
        ...(isRunbookError(error) ? { code: error.code } : {}),
        message: error instanceof Error ? error.message : String(error),
        realMs: Date.now() - realStart,
        simMs: clock.now() - simStart,
        collections: collections() - before,
        progress,
      };
    }
  } finally {
    await h.stop();
  }
}

/** A chat webhook that takes the request and never answers it. */
async function silentReceiver(): Promise<{ url: string; requests: () => number; close: () => void }> {
  let requests = 0;
  const server: Server = createServer(() => {
    requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/1/token`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function webhookPost(): Promise<Ended> {
  const receiver = await silentReceiver();
  try {
    const notifier = createWebhookNotifier({ url: receiver.url, flavour: 'discord', timeoutMs: 1_500 });
    globalThis.gcPressure?.start();
    const before = collections();
    const realStart = Date.now();
    notifier.post('runbook postgres-remount started');
    // The flush allows far longer than the post's own bound: only that bound can end it this soon.
    await notifier.flush(120_000);
    return {
      message: 'flushed',
      realMs: Date.now() - realStart,
      collections: collections() - before,
      dropped: notifier.dropped,
      requests: receiver.requests(),
    };
  } finally {
    receiver.close();
  }
}

const cases: Record<string, () => Promise<Ended>> = {
  // A deployment that does not exist never becomes ready: a watch-based wait.
  watch: () =>
    waitOnSimulator(() => ({
      kind: 'k8s.deployment-ready',
      namespace: 'default',
      name: 'nowhere',
      replicas: 1,
      timeoutMs: 300_000,
    })),
  // Nobody asked Linode to detach this volume, so it stays attached: a polled wait.
  poll: () =>
    waitOnSimulator((volume) => ({
      kind: 'linode.volume-detached',
      volumeId: volume.id,
      volumeLabel: volume.label,
      timeoutMs: 300_000,
    })),
  webhook: webhookPost,
};

const run = cases[process.argv[2] ?? ''];
if (run === undefined) throw new Error(`usage: bounds-under-gc.ts ${Object.keys(cases).join('|')}`);
process.stdout.write(`${JSON.stringify(await run())}\n`);
process.exit(0);
