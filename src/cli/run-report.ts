// The last words of a run on the terminal: how it ended, what changed, what was skipped and why,
// the warnings that mattered (no backup, a lock taken over), and where its whole record is.
import { plural } from '../engine/plural.js';
import type { RunOutcome, StepReport } from '../engine/run-outcome.js';

export interface RunReportInput {
  readonly runbookId: string;
  /** The runbook's step ids in order: a step is numbered as the task list numbered it. */
  readonly stepIds: readonly string[];
  readonly outcome: RunOutcome;
  readonly seconds: number;
  readonly dryRun: boolean;
  /** Warnings of the run itself rather than of a step (a stale lock taken over). */
  readonly runWarnings: readonly string[];
  /** A dry run's changes, each with how it was previewed (verified, modelled, not previewable). */
  readonly previewed: readonly string[];
  /** Undefined when the run could not be recorded. */
  readonly runId: string | undefined;
}

/** At most this many changes of one step are listed; `runbook log` has the rest. */
const CHANGES_LISTED = 8;

function headline(input: RunReportInput): string {
  const { steps } = input.outcome;
  const count = (test: (s: StepReport) => boolean): number => steps.filter(test).length;
  if (input.dryRun) {
    return `Dry run: ${count((s) => s.status === 'done')} of ${plural(steps.length, 'step')} would change something; nothing was changed in the cluster, at Linode or in Postgres.`;
  }
  const skipped = count((s) => s.status === 'skipped');
  const before = count((s) => s.beforeResume);
  return (
    `${plural(
      count((s) => s.status === 'done'),
      'step',
    )} changed something, ${count((s) => s.status === 'nothing-to-do')} had nothing to change` +
    `${skipped > 0 ? `, ${skipped} skipped` : ''}${before > 0 ? ` (${before} finished before the resume)` : ''}.`
  );
}

export function runReport(input: RunReportInput): string[] {
  const number = (s: StepReport): string => `${input.stepIds.indexOf(s.step) + 1}.`;
  const lines = [`✔ ${input.runbookId} finished in ${input.seconds.toFixed(1)}s. ${headline(input)}`];
  const { steps } = input.outcome;
  const changed = steps.filter((s) => s.status === 'done' && s.changes.length > 0);
  if (changed.length > 0 && !input.dryRun) {
    lines.push('  Changed:');
    for (const s of changed) {
      const when = s.beforeResume ? ' (before the resume)' : '';
      if (s.changes.length === 1) {
        lines.push(`    ${number(s)} ${s.title}${when}: ${s.changes[0] ?? ''}`);
        continue;
      }
      lines.push(`    ${number(s)} ${s.title}${when}: ${plural(s.changes.length, 'change')}`);
      for (const change of s.changes.slice(0, CHANGES_LISTED)) lines.push(`         ${change}`);
      if (s.changes.length > CHANGES_LISTED)
        lines.push(`         … and ${s.changes.length - CHANGES_LISTED} more (runbook log has them all)`);
    }
  }
  if (input.previewed.length > 0) {
    lines.push('  Each change, previewed:');
    for (const line of input.previewed) lines.push(`    ${line}`);
  }
  const skipped = steps.filter((s) => s.status === 'skipped');
  if (skipped.length > 0) {
    lines.push('  Skipped:');
    for (const s of skipped) lines.push(`    ${number(s)} ${s.title}: ${s.why ?? 'skipped'}`);
  }
  const warnings = [...input.outcome.warnings, ...input.runWarnings];
  if (warnings.length > 0) {
    lines.push('  Warnings:');
    for (const warning of warnings) lines.push(`    ! ${warning}`);
  }
  if (input.runId !== undefined)
    lines.push(`  Run ${input.runId}; its whole record: runbook log ${input.runId}`);
  return lines;
}
