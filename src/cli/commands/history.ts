// `runbook history`: the runs kept in the state directory, newest first.
import { listRunIds, readJournal, stateDirectory } from '../../engine/journal.js';
import { summarizeRun } from '../../engine/run-summary.js';
import { invalidParameter } from '../../engine/errors.js';
import { type Io, println } from '../io.js';

export interface HistoryEntry {
  readonly runId: string;
  readonly runbook: string;
  readonly started: string;
  readonly operator: string;
  readonly cluster: string;
  /** The API server the run talked to. */
  readonly clusterServer: string;
  readonly dryRun: boolean;
  /** finished, a failure code, or running (no end: still going, or killed). */
  readonly status: string;
  readonly actionsDone: number;
}

export function historyEntries(stateDir: string, limit: number): HistoryEntry[] {
  return listRunIds(stateDir, limit).flatMap((runId) => {
    const summary = summarizeRun(readJournal(stateDir, runId));
    if (summary === undefined) return [];
    const { start, end } = summary;
    return [
      {
        runId,
        runbook: start.runbook,
        started: start.time,
        operator: start.operator,
        cluster:
          start.target.simulator === undefined
            ? start.cluster.context
            : `simulator:${start.target.simulator}`,
        clusterServer: start.cluster.server,
        dryRun: start.dryRun,
        status: end?.status ?? 'running',
        actionsDone: summary.actionsDone,
      },
    ];
  });
}

export function historyCommand(options: { output: string; limit: string }, io: Io): Promise<number> {
  if (options.output !== 'text' && options.output !== 'json') {
    throw invalidParameter(`--output must be text or json; "${options.output}" is not.`);
  }
  const limit = Number(options.limit);
  if (!/^\d+$/.test(options.limit) || limit < 1)
    throw invalidParameter(`--limit must be a whole number above 0.`);
  const entries = historyEntries(stateDirectory(io.env), limit);
  if (options.output === 'json') {
    println(io.stdout, JSON.stringify(entries, null, 2));
    return Promise.resolve(0);
  }
  if (entries.length === 0) println(io.stdout, `No runs yet in ${stateDirectory(io.env)}.`);
  for (const e of entries) {
    const mode = e.dryRun ? ' (dry run)' : '';
    println(
      io.stdout,
      `${e.runId}  ${e.status.padEnd(12)} ${e.runbook}${mode} on ${e.cluster} by ${e.operator}, ${e.actionsDone} actions`,
    );
  }
  return Promise.resolve(0);
}
