// The chat messages of `runbook serve`: one per alert with its runbook, command and planned changes;
// a follow-up when it resolves; one line when no runbook answers it.
import type { Alert } from '../cli/alerts/payload.js';
import type { DryRunResult } from './dry-run.js';

const labelsOf = (alert: Alert): string =>
  Object.entries(alert.labels)
    .filter(([name]) => name !== 'alertname')
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');

const nameOf = (alert: Alert): string => alert.labels.alertname ?? '';

export function firingPost(alert: Alert, runbook: string, command: string, result: DryRunResult): string {
  const lines = [
    `🔔 ${nameOf(alert)} is firing${labelsOf(alert) === '' ? '' : ` (${labelsOf(alert)})`}`,
    `Runbook: ${runbook}`,
    `Command: \`${command}\``,
    `Dry run (on a twin of the cluster; nothing was changed):`,
  ];
  if (result.entries.length === 0 && result.failure === undefined) lines.push('• no change planned');
  // Most changes share one of two or three reasons: each is said once, under the list, not per line.
  const reasons = [...new Set(result.entries.map((entry) => entry.why))];
  for (const entry of result.entries) {
    lines.push(`• ${entry.label}: ${entry.title} [${reasons.indexOf(entry.why) + 1}]`);
  }
  if (result.failure !== undefined) lines.push(`Predicted failure: ${result.failure}`);
  reasons.forEach((why, index) => lines.push(`[${index + 1}] ${why}`));
  return lines.join('\n');
}

export function resolvedPost(alert: Alert, runbook: string): string {
  return `✅ ${nameOf(alert)} resolved${labelsOf(alert) === '' ? '' : ` (${labelsOf(alert)})`}: ${runbook} is no longer needed for it.`;
}

export function unroutedPost(alert: Alert): string {
  return `❔ No runbook answers ${nameOf(alert)}: see \`runbook for-alert --list\` for the routes.`;
}

export function unfilledPost(alert: Alert, message: string): string {
  return `❔ ${nameOf(alert)}: ${message}`;
}
