// Posts messages to a Discord (or Slack-compatible) webhook from a queue, one at a time, respecting
// 429 retry_after; it never blocks, slows or fails the run it reports on, and never holds a secret
// longer than the message it was already redacted from.
import { startDeadline } from '../../engine/deadline.js';
import { abortableDelay } from '../../engine/delay.js';

export type WebhookFlavour = 'discord' | 'slack';

export interface Notifier {
  /** Queues a message; returns at once. */
  post(text: string): void;
  /** Waits until the queue is sent, at most `timeoutMs`; what is left is dropped. */
  flush(timeoutMs: number): Promise<void>;
  /** Messages that could not be delivered (receiver down, too many 429s). */
  readonly dropped: number;
}

export interface WebhookOptions {
  readonly url: string;
  readonly flavour: WebhookFlavour;
  /** Most messages kept waiting; older ones are dropped first when a receiver is slow. */
  readonly maxQueue?: number;
  readonly timeoutMs?: number;
}

const DISCORD_LIMIT = 2000;

function body(flavour: WebhookFlavour, text: string): string {
  const clipped = text.length > DISCORD_LIMIT ? `${text.slice(0, DISCORD_LIMIT - 1)}…` : text;
  return JSON.stringify(
    flavour === 'discord' ? { content: clipped, username: 'runbook' } : { text: clipped },
  );
}

/** Seconds to wait after a 429: Discord puts retry_after in the JSON body, others in Retry-After. */
async function retryAfterMs(response: Response): Promise<number> {
  const header = Number(response.headers.get('retry-after'));
  try {
    const json = (await response.json()) as { retry_after?: number };
    if (typeof json.retry_after === 'number') return Math.ceil(json.retry_after * 1000);
  } catch {
    // not JSON: fall back to the header
  }
  return Number.isFinite(header) && header > 0 ? header * 1000 : 1000;
}

export function createWebhookNotifier(options: WebhookOptions): Notifier {
  const queue: string[] = [];
  const maxQueue = options.maxQueue ?? 100;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const stop = new AbortController();
  let dropped = 0;
  let sending: Promise<void> | undefined;

  async function sendOne(text: string): Promise<void> {
    for (let attempt = 1; attempt <= 4 && !stop.signal.aborted; attempt++) {
      // One post, its answer's body included, is bounded; a receiver that never answers is given up.
      const deadline = startDeadline(timeoutMs, { parent: stop.signal });
      try {
        const response = await deadline.race(
          fetch(options.url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: body(options.flavour, text),
            signal: deadline.signal,
          }),
        );
        if (response.status === 429) {
          const waitMs = Math.min(await deadline.race(retryAfterMs(response)), 30_000);
          deadline.dispose();
          await abortableDelay(waitMs, stop.signal);
          continue;
        }
        await deadline.race(response.body?.cancel() ?? Promise.resolve());
        if (response.ok || response.status < 500) return; // a 4xx will not get better: give up on it
      } catch {
        if (attempt >= 2) break; // a receiver that is down: do not keep the run waiting on it
      } finally {
        deadline.dispose();
      }
      await abortableDelay(250 * attempt, stop.signal);
    }
    dropped++;
  }

  async function drain(): Promise<void> {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await sendOne(next);
    sending = undefined;
  }

  return {
    post(text) {
      if (queue.length >= maxQueue) {
        queue.shift();
        dropped++;
      }
      queue.push(text);
      sending ??= drain();
    },
    async flush(limitMs) {
      if (sending === undefined) return;
      const limit = startDeadline(limitMs);
      try {
        await limit.race(sending).catch(() => undefined);
      } finally {
        limit.dispose();
      }
      stop.abort();
      dropped += queue.length;
      queue.length = 0;
    },
    get dropped() {
      return dropped;
    },
  };
}

/** The webhook configured in the environment, if any: DISCORD_WEBHOOK_URL first, then SLACK_WEBHOOK_URL. */
export function notifierFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Notifier | undefined {
  const discord = env.DISCORD_WEBHOOK_URL?.trim();
  if (discord !== undefined && discord !== '')
    return createWebhookNotifier({ url: discord, flavour: 'discord' });
  const slack = env.SLACK_WEBHOOK_URL?.trim();
  if (slack !== undefined && slack !== '') return createWebhookNotifier({ url: slack, flavour: 'slack' });
  return undefined;
}
