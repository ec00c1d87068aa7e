// `runbook serve` put together: the HTTP face, the intake and its dry runs, the chat, and the
// graceful stop (no new notification; dry runs in flight finish or are cut at their bound).
import type { AddressInfo } from 'node:net';
import { RUNBOOKS } from '../../runbooks/index.js';
import type { SourcedRoute } from '../cli/alerts/routes.js';
import { createRedactor, secretsInEnvironment } from '../engine/redact.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { type Notifier, createWebhookNotifier } from '../providers/notify/webhook.js';
import { type DryRunResult, dryRun } from './dry-run.js';
import { createServeHttp } from './http.js';
import { credentialSecrets, credentialsOf } from './auth.js';
import { type Intake, createIntake } from './intake.js';
import { type ServeLog, jsonLog } from './log.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly routes: readonly SourcedRoute[];
  /** The runbooks it may dry-run: the built-in ones unless given (the CLI adds the team's). */
  readonly runbooks?: readonly AnyRunbook[];
  readonly stdout: NodeJS.WritableStream;
  readonly foldMs?: number;
  readonly unroutedMs?: number;
  readonly dryRunMs?: number;
  readonly concurrency?: number;
  readonly now?: () => number;
}

export interface RunningServe {
  readonly url: string;
  readonly intake: Intake;
  /** Stops accepting, lets dry runs finish for at most `graceMs` (then cuts them), flushes the chat. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Two dry runs at once (each its own twin; one per runbook and target). Each Linode connection holds
 * its own target (src/providers/linode/connect.ts), so two twins and the live reader never mix.
 */
const DRY_RUNS_AT_ONCE = 2;

export { BASIC_AUTH_VARIABLE, TOKEN_VARIABLE } from './auth.js';

function chatOf(env: ServeOptions['env']): Notifier | undefined {
  const discord = env.DISCORD_WEBHOOK_URL?.trim();
  const slack = env.SLACK_WEBHOOK_URL?.trim();
  const url = discord !== undefined && discord !== '' ? discord : slack;
  if (url === undefined || url === '') return undefined;
  return createWebhookNotifier({
    url,
    flavour: discord !== undefined && discord !== '' ? 'discord' : 'slack',
    maxQueue: 1000,
  });
}

export async function startServe(options: ServeOptions): Promise<RunningServe> {
  const credentials = credentialsOf(options.env);
  const redact = createRedactor([...credentialSecrets(credentials), ...secretsInEnvironment(options.env)]);
  const log: ServeLog = jsonLog(options.stdout, redact, options.now);
  const chat = chatOf(options.env);
  const stopping = new AbortController();
  let accepting = true;
  const intake = createIntake({
    routes: options.routes,
    findRunbook: (id) => (options.runbooks ?? RUNBOOKS).find((r) => r.id === id),
    dryRun: (runbook: AnyRunbook, given: Record<string, string>): Promise<DryRunResult> =>
      dryRun({
        runbook,
        given,
        kubeconfig: options.kubeconfig,
        context: options.context,
        env: options.env,
        deadlineMs: options.dryRunMs ?? 120_000,
        signal: stopping.signal,
      }),
    post: (text) => chat?.post(redact(text)),
    log,
    foldMs: options.foldMs ?? 5 * 60_000,
    unroutedMs: options.unroutedMs ?? 60 * 60_000,
    concurrency: options.concurrency ?? DRY_RUNS_AT_ONCE,
    now: options.now ?? (() => Date.now()),
  });
  const server = createServeHttp({
    credentials,
    log,
    accept: (g) => intake.accept(g),
    accepting: () => accepting,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log('listening', { url, chat: chat === undefined ? 'none' : 'webhook', routes: options.routes.length });
  return {
    url,
    intake,
    async stop(graceMs = 30_000) {
      accepting = false;
      log('stopping', { graceMs });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => stopping.abort(new Error('shutdown')), graceMs);
      await intake.idle();
      clearTimeout(cut);
      await chat?.flush(5_000);
      server.closeAllConnections();
      await closed;
      log('stopped', { ...intake.counts, dropped: chat?.dropped ?? 0 });
    },
  };
}
