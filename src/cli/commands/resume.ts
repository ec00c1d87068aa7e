// `runbook resume <run-id>`: carry on a run that stopped. Finished steps are not repeated; the step
// that was interrupted is planned again against the cluster as it is now, so an action that already
// took effect plans nothing.
import { findAnyRunbook } from '../team/registry.js';
import { RunbookError } from '../../engine/errors.js';
import { readJournal, stateDirectory } from '../../engine/journal.js';
import { summarizeRun } from '../../engine/run-summary.js';
import type { Io } from '../io.js';
import type { ResumeFlags } from '../main.js';
import { executeRun } from './run.js';

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

export async function resumeCommand(runId: string, flags: ResumeFlags, io: Io): Promise<number> {
  const summary = summarizeRun(readJournal(stateDirectory(io.env), runId));
  if (summary === undefined)
    throw new RunbookError('usage', `The journal of run ${runId} has no start record.`);
  const { start, end } = summary;
  if (end?.status === 'finished') {
    throw new RunbookError('usage', `Run ${runId} already finished; there is nothing to resume.`, {
      next: `Start a new run with \`runbook ${start.runbook}\`.`,
    });
  }
  if (start.dryRun)
    throw new RunbookError('usage', `Run ${runId} was a dry run; there is nothing to resume.`);
  if (start.target.simulator !== undefined) {
    throw new RunbookError(
      'usage',
      `Run ${runId} ran against the embedded simulator (${start.target.simulator}), which ended with it.`,
      { next: `Start a new rehearsal with \`runbook ${start.runbook} --sim ${start.target.simulator}\`.` },
    );
  }
  const runbook = findAnyRunbook(start.runbook);
  if (runbook === undefined) {
    throw new RunbookError(
      'usage',
      `Run ${runId} used runbook "${start.runbook}", which this version does not have and no team folder (--runbooks) provides.`,
    );
  }
  return executeRun(
    {
      runbook,
      given: start.params,
      flags: {
        // Given again (the kubeconfig moved, another admin's context): those; else the run's own.
        ...optional('kubeconfig', flags.kubeconfig ?? start.target.kubeconfig),
        ...optional('context', flags.context ?? start.target.context),
        ...optional('output', flags.output),
        ...(flags.yes === true ? { yes: true } : {}),
      },
      resume: { runId, completed: summary.completed },
    },
    io,
  );
}
