// One runbook's dry run for the receiver: the same twin as `runbook <id> --dry-run`, without a terminal,
// without a journal, without a lock, with readers only, and cut at its deadline.
import type { PreviewEntry } from '../cli/preview.js';
import { withPostgres } from '../cli/postgres-target.js';
import type { Target } from '../cli/target.js';
import { type Twin, startTwin } from '../cli/twin.js';
import { toRunbookError } from '../cli/errors.js';
import { alwaysYes } from '../engine/confirm.js';
import { type Deadline, startDeadline } from '../engine/deadline.js';
import { RunbookError } from '../engine/errors.js';
import { resolveParams } from '../engine/params.js';
import { RunbookRun, type StepOutput } from '../engine/run.js';
import type { AnyRunbook } from '../engine/runbook.js';
import type { PostgresConnection } from '../providers/postgres/index.js';
import { createTwinPreview } from './preview.js';
import { connectReaders, noWriters } from './reader-target.js';

export interface DryRunRequest {
  readonly runbook: AnyRunbook;
  readonly given: Readonly<Record<string, string | undefined>>;
  readonly kubeconfig: string | undefined;
  readonly context: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly deadlineMs: number;
  /** Aborted on shutdown once the grace time is over. */
  readonly signal: AbortSignal;
}

export interface DryRunResult {
  readonly entries: readonly PreviewEntry[];
  /** How many steps ran and with what outcome. */
  readonly steps: readonly { readonly stepId: string; readonly status: string }[];
  /** What the real run would meet (or why the dry run could not finish). */
  readonly failure: string | undefined;
}

const quiet: StepOutput = { say: () => undefined, progress: () => undefined };

export async function dryRun(request: DryRunRequest): Promise<DryRunResult> {
  const { runbook } = request;
  const deadline = startDeadline(request.deadlineMs, { parent: request.signal });
  let twin: Twin | undefined;
  let postgres: PostgresConnection | undefined;
  let run: RunbookRun | undefined;
  let entries: readonly PreviewEntry[] = [];
  try {
    const params: unknown = resolveParams(runbook.params, request.given);
    const readers = await deadline.race(connectReaders(request));
    const withPg = await closedIfLate(
      deadline,
      withPostgres(readers, runbook, params, { env: request.env, databaseUrl: undefined }),
      (late) => late.connection?.close(),
    );
    postgres = withPg.connection;
    const live: Target = {
      ...withPg.target,
      write: { ...noWriters, ...(postgres === undefined ? {} : { postgres: noWriters.postgres }) },
    };
    const mutating = runbook.mutating && runbook.readsOnlyWhen?.(params) !== true;
    if (mutating && runbook.needs?.cluster !== 'for-port-forward-and-lock') {
      twin = await closedIfLate(deadline, startTwin(live, runbook, params), (late) => late.stop());
    }
    const preview = createTwinPreview(twin?.target.write);
    entries = preview.entries;
    const read = twin === undefined ? live.read : { ...twin.target.read, ...pgReader(live) };
    run = new RunbookRun({
      runbook,
      params,
      read,
      write: twin?.target.write ?? live.write,
      confirmer: alwaysYes,
      dryRun: true,
      signal: deadline.signal,
      perform: mutating
        ? (action) => preview.perform(action)
        : (action) =>
            Promise.reject(
              new RunbookError('internal', `${runbook.id} planned ${action.kind} while only reading`),
            ),
      ...(twin === undefined ? {} : { quiet: twin.world }),
    });
    for (const step of run.steps) await deadline.race(run.runStep(step, quiet));
    return { entries, steps: run.results, failure: undefined };
  } catch (error) {
    const failure = deadline.expired
      ? `cut at its bound of ${request.deadlineMs < 1000 ? `${request.deadlineMs} ms` : `${Math.round(request.deadlineMs / 1000)} s`}`
      : toRunbookError(error).message;
    return { entries, steps: run?.results ?? [], failure };
  } finally {
    deadline.dispose();
    await postgres?.close();
    await twin?.stop();
  }
}

/**
 * Races a start against the deadline. A start still going when the deadline cuts it is closed once it
 * finishes: a twin started after the cut would otherwise keep its simulator, and the process, alive.
 */
async function closedIfLate<T>(
  deadline: Deadline,
  start: Promise<T>,
  close: (late: T) => Promise<void> | undefined,
): Promise<T> {
  try {
    return await deadline.race(start);
  } catch (error) {
    start.then(close, () => undefined).catch(() => undefined);
    throw error;
  }
}

const pgReader = (live: Target) => (live.read.postgres === undefined ? {} : { postgres: live.read.postgres });
