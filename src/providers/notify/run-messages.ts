// What the team sees in chat about a run: it started (who, what, where), each change made, a
// failure with what to do next, and the end; each with the run id. Reads journal events; a
// RunRecorder like the journal itself.
import type { JournalEvent, RunRecorder } from '../../engine/journal-events.js';
import type { Redactor } from '../../engine/redact.js';
import type { Notifier } from './webhook.js';

function messageFor(event: JournalEvent, runId: string, runbook: string): string | undefined {
  switch (event.type) {
    case 'start':
      return `🛠️ ${event.operator}@${event.host} started \`${event.runbook}\`${event.dryRun ? ' (dry run)' : ''} on ${event.cluster.context} — run ${event.runId}`;
    case 'resume':
      return `🛠️ ${event.operator}@${event.host} resumed \`${runbook}\` — run ${runId}`;
    case 'action':
      if (event.status === 'done') return `✓ ${event.title} — run ${runId}`;
      if (event.status === 'failed') return `✖ failed to ${event.title}: ${event.error ?? ''} — run ${runId}`;
      return undefined;
    case 'waiting':
      return `⏳ still waiting after ${Math.round(event.ms / 1000)}s: ${event.why} — run ${runId}`;
    case 'wait':
      return undefined;
    case 'end':
      if (event.status === 'finished') return `✅ \`${runbook}\` finished — run ${runId}`;
      return `🛑 \`${runbook}\` stopped (${event.status}): ${event.message ?? ''}${event.next === undefined ? '' : ` → ${event.next}`} — run ${runId}`;
    case 'replan':
      return `↻ did not ${event.title}: ${event.reason} Planning again — run ${runId}`;
    case 'manual':
      return event.outcome === 'confirmed'
        ? `✋ ${event.operator} confirmed done by hand: ${event.title} — run ${runId}`
        : `✋ left out (--yes): by hand: ${event.title} — run ${runId}`;
    case 'plan':
    case 'answer':
    case 'verify':
    case 'step':
      return undefined;
  }
}

export function createRunNotifier(
  notifier: Notifier,
  runId: string,
  runbook: string,
  redact: Redactor,
): RunRecorder {
  return {
    record(event) {
      const text = messageFor(event, runId, runbook);
      if (text !== undefined) notifier.post(redact(text));
    },
  };
}
