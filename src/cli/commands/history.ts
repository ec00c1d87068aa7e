// `runbook history`: the runs kept in the state directory, newest first.
import { journalPath, listRunIds, readJournal, stateDirectory } from '../../engine/journal.js';
import { summarizeRun } from '../../engine/run-summary.js';
import { plural } from '../../engine/plural.js';
import { invalidParameter } from '../../engine/errors.js';
import { type Io, println } from '../io.js';
import { parseOutput, printAs } from '../output.js';

export interface HistoryEntry {
  readonly runId: string;
  readonly runbook: string;
  readonly started: string;
  readonly operator: string;
  readonly cluster: string;
  /** The API server the run talked to. */
  readonly clusterServer: string;
  readonly dryRun: boolean;
  /** finished, a failure code, running (no end: still going, or killed), or damaged. */
  readonly status: string;
  readonly actionsDone: number;
  /** For a damaged journal: the file, and what is wrong with it. */
  readonly damaged?: { readonly journal: string; readonly problem: string };
}

/** A journal with no readable start record: shown as damaged, never hidden. */
function damagedEntry(stateDir: string, runId: string, lines: number): HistoryEntry {
  return {
    runId,
    // The id is <date>-<time>-<runbook>-<4 hex>.
    runbook: runId.slice(16, -5),
    started: '',
    operator: 'unknown',
    cluster: 'unknown',
    clusterServer: '',
    dryRun: false,
    status: 'damaged',
    actionsDone: 0,
    damaged: {
      journal: journalPath(stateDir, runId),
      problem: lines === 0 ? 'empty, or no line of it is JSON' : 'its start record is missing',
    },
  };
}

export function historyEntries(stateDir: string, limit: number): HistoryEntry[] {
  return listRunIds(stateDir, limit).flatMap((runId) => {
    const records = readJournal(stateDir, runId);
    const summary = summarizeRun(records);
    if (summary === undefined) return [damagedEntry(stateDir, runId, records.length)];
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

export async function historyCommand(options: { output?: string; limit: string }, io: Io): Promise<number> {
  const format = parseOutput(options.output);
  const limit = Number(options.limit);
  if (!/^\d+$/.test(options.limit) || limit < 1)
    throw invalidParameter(`--limit must be a whole number above 0.`);
  const entries = historyEntries(stateDirectory(io.env), limit);
  await printAs(
    io,
    format,
    () => entries,
    () => {
      if (entries.length === 0) println(io.stdout, `No runs yet in ${stateDirectory(io.env)}.`);
      for (const e of entries) {
        if (e.damaged !== undefined) {
          println(
            io.stdout,
            `${e.runId}  ${'damaged'.padEnd(12)} ${e.damaged.journal}: ${e.damaged.problem}`,
          );
          continue;
        }
        const mode = e.dryRun ? ' (dry run)' : '';
        println(
          io.stdout,
          `${e.runId}  ${e.status.padEnd(12)} ${e.runbook}${mode} on ${e.cluster} by ${e.operator}, ${plural(e.actionsDone, 'action')}`,
        );
      }
    },
  );
  return 0;
}
