// What a `runbook serve` test stands on: a simulator scenario, a chat webhook that records its posts,
// and serve started in-process against both with a planted token; its log kept, one close for all.
import { PassThrough } from 'node:stream';
import { routesInForce } from '../../src/cli/alerts/routes.js';
import { type RunningServe, type ServeOptions, startServe } from '../../src/serve/server.js';
import { type SentAlert, alertmanagerPayload, postTo } from './alertmanager.js';
import { type SimHarness, startSimHarness } from './sim.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

export interface ServeWorld {
  readonly h: SimHarness;
  readonly chat: Receiver;
  /** The environment serve runs with: the simulator's, the token, the chat webhook, and `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Starts serve on loopback with the built-in routes unless `options` says otherwise. */
  startServe(
    options?: Partial<Omit<ServeOptions, 'env'>> & { env?: Record<string, string> },
  ): Promise<RunningServe>;
  /** Posts the alerts to serve as Alertmanager does, with the token. */
  post(serve: RunningServe, alerts: readonly SentAlert[]): Promise<{ status: number; text: string }>;
  /** All that the serves started here logged. */
  logText(): string;
  /** The log's lines, parsed. */
  logLines(): Array<{ event: string; runbook?: string }>;
  close(): Promise<void>;
}

export async function startServeWorld(scenario: string, token: string): Promise<ServeWorld> {
  const h = await startSimHarness(scenario);
  const chat = await startReceiver();
  const logs = new PassThrough();
  let logText = '';
  logs.on('data', (chunk: Buffer) => (logText += chunk.toString('utf8')));
  const env = (extra: Record<string, string> = {}) =>
    h.env({ RUNBOOK_SERVE_TOKEN: token, DISCORD_WEBHOOK_URL: chat.url, ...extra });
  return {
    h,
    chat,
    env,
    startServe: ({ env: extraEnv, ...options } = {}) =>
      startServe({
        host: '127.0.0.1',
        port: 0,
        env: env(extraEnv),
        kubeconfig: h.kubeconfig,
        context: undefined,
        routes: routesInForce([]),
        stdout: logs,
        ...options,
      }),
    post: (serve, alerts) => postTo(serve.url, JSON.stringify(alertmanagerPayload(alerts)), token),
    logText: () => logText,
    logLines: () =>
      logText
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event: string; runbook?: string }),
    close: async () => {
      await chat.close();
      await h.stop();
    },
  };
}
