// `runbook <id>` and `runbook resume <run-id>`: validate, refuse what cannot be asked, connect, show
// where, journal, then run the steps as a listr2 task list with the engine's confirmations.
import { hostname, userInfo } from 'node:os';
import { type Confirmer, alwaysYes } from '../../engine/confirm.js';
import { RunbookError } from '../../engine/errors.js';
import { ChangesMade } from '../../engine/changes-made.js';
import { Journal, newRunId, stateDirectory } from '../../engine/journal.js';
import { ClusterLock, LOCK_NAME } from '../../engine/lock.js';
import { type RunRecorder, combineRecorders, noRecorder } from '../../engine/journal-events.js';
import { createRunNotifier, notifierFromEnvironment } from '../../providers/notify/index.js';
import { resolveParams } from '../../engine/params.js';
import { createRedactor, secretsInEnvironment, secretsInUrl } from '../../engine/redact.js';
import { type CompletedStep, RunbookRun, type StepResult } from '../../engine/run.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { toRunbookError } from '../errors.js';
import { type Io, println } from '../io.js';
import { runStepsWithListr } from '../listr-run.js';
import { plainPromptConfirmer } from '../prompt-confirmer.js';
import type { RunFlags } from '../main.js';
import { type EmbeddedSimulator, startEmbeddedSimulator } from '../embedded-sim.js';
import { type Target, connectTarget } from '../target.js';
import { notPreviewablePostgres, withPostgres } from '../postgres-target.js';
import type { PostgresConnection } from '../../providers/postgres/index.js';
import { type Twin, startTwin } from '../twin.js';
import { createPreview } from '../preview.js';
import type { Action } from '../../engine/actions.js';

/** Codes after which the changes already made are offered for undoing (not after Ctrl-C or a lost lock). */
const COMPENSATE_AFTER = new Set(['step-failed', 'wait-timeout', 'precondition', 'declined']);

/** Offers, step by step and latest first, what undoes the changes this run made before it failed. */
async function offerCompensations(run: RunbookRun, confirmer: Confirmer, io: Io): Promise<void> {
  const steps = run.compensable();
  if (steps.length === 0) return;
  println(io.stdout);
  println(io.stdout, 'The run stopped after changing things. What would undo them:');
  for (const step of steps) {
    println(io.stdout, `  Undo: ${step.title}`);
    const out = { say: (line: string) => println(io.stdout, `    ${line}`), progress: () => undefined };
    if (await run.compensate(step, out, confirmer)) println(io.stdout, '    undone');
  }
}

/** Codes after which `runbook resume` can carry on where the run stopped. */
const RESUMABLE = new Set([
  'interrupted',
  'wait-timeout',
  'step-failed',
  'declined',
  'precondition',
  'cluster-unreachable',
  'linode-unreachable',
  'tls-refused',
  'journal-failed',
]);

export interface RunRequest {
  readonly runbook: AnyRunbook;
  /** Parameters as text, as given on the command line. */
  readonly given: Readonly<Record<string, string | undefined>>;
  readonly flags: RunFlags;
  /** Set when resuming: the run to continue and the steps it finished. */
  readonly resume?: { readonly runId: string; readonly completed: ReadonlyMap<string, CompletedStep> };
}

/** Breaking someone's lock: the operator types the holder's name, as for any destructive act. */
async function confirmTakeOver(identity: string): Promise<boolean> {
  const { input } = await import('@inquirer/prompts');
  const typed = await input({
    message: `The cluster lock of ${identity} is stale. Type ${identity} to take it over:`,
  });
  return typed.trim() === identity;
}

/** RUNBOOK_LONG_WAIT_SECONDS: how long a wait runs before the team is told it is still waiting. */
function longWait(env: Readonly<Record<string, string | undefined>>): { longWaitMs?: number } {
  const seconds = Number(env.RUNBOOK_LONG_WAIT_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? { longWaitMs: seconds * 1000 } : {};
}

function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function summarize(results: readonly StepResult[], dryRun: boolean): string {
  const count = (status: StepResult['status']): number => results.filter((r) => r.status === status).length;
  if (dryRun) {
    return `Dry run: ${count('done')} of ${results.length} steps would change something; nothing was changed in the cluster or at Linode.`;
  }
  const skipped = count('skipped');
  const before = count('done-before');
  return (
    `${count('done')} steps changed something, ${count('nothing-to-do')} had nothing to change` +
    `${skipped > 0 ? `, ${skipped} skipped` : ''}${before > 0 ? `, ${before} were done before the resume` : ''}.`
  );
}

export function givenParams(
  runbook: AnyRunbook,
  flags: Record<string, unknown>,
): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.keys(runbook.params).map((name) => {
      const value = flags[name];
      return [name, typeof value === 'string' || typeof value === 'number' ? String(value) : undefined];
    }),
  );
}

export async function runRunbookCommand(
  runbook: AnyRunbook,
  flags: RunFlags & Record<string, unknown>,
  io: Io,
): Promise<number> {
  return executeRun({ runbook, given: givenParams(runbook, flags), flags }, io);
}

/** A run that only reads holds no lock and asked no one: a change planned anyway is a bug, never sent. */
function refuseChange(runbookId: string, action: Action): Promise<void> {
  return Promise.reject(
    new RunbookError(
      'internal',
      `${runbookId} planned a change (${action.kind}) with parameters that say it only reads; nothing was sent.`,
    ),
  );
}

export async function executeRun(request: RunRequest, io: Io): Promise<number> {
  const { runbook, flags } = request;
  const params: unknown = resolveParams(runbook.params, request.given);
  const dryRun = flags.dryRun === true;
  const interactive = !dryRun && flags.yes !== true;
  const mutating = runbook.mutating && runbook.readsOnlyWhen?.(params) !== true;
  if (mutating && interactive && io.stdin.isTTY !== true) {
    throw new RunbookError(
      'needs-terminal',
      `${runbook.id} changes the cluster and asks before every change, but there is no terminal to ask on.`,
      {
        next: 'Run it in a terminal, rehearse it with --dry-run, or pass --yes to answer yes to every question.',
      },
    );
  }

  const sim: EmbeddedSimulator | undefined =
    flags.sim === undefined ? undefined : await startEmbeddedSimulator(runbook, flags, io);
  const env = sim?.env ?? io.env;
  const interrupt = new AbortController();
  const onSigint = (): void =>
    interrupt.abort(
      new RunbookError('interrupted', 'Interrupted by Ctrl-C: stopped before the next action.'),
    );
  process.on('SIGINT', onSigint);
  let twin: Twin | undefined;
  let lock: ClusterLock | undefined;
  let postgres: PostgresConnection | undefined;
  let run: RunbookRun | undefined;
  let journal: Journal | undefined;
  let recorder: RunRecorder = noRecorder;
  const changes = new ChangesMade();
  // A dry run changes nothing, so it tells the team nothing: chat never reads a rehearsal as a change.
  const notifier = dryRun ? undefined : notifierFromEnvironment(env);
  try {
    const kubeconfig = sim?.kubeconfig ?? flags.kubeconfig;
    const context = sim === undefined ? flags.context : undefined;
    const connected = await connectTarget({ kubeconfig, context, env });
    const pg = await withPostgres(connected, runbook, params, { env, databaseUrl: flags.databaseUrl });
    postgres = pg.connection;
    const live = pg.target;
    const runId = request.resume?.runId ?? newRunId(runbook.id);
    const redact = createRedactor([...secretsInEnvironment(env), ...secretsInUrl(flags.databaseUrl)]);
    // Proven writable before the first change; a line that fails later stops the run at its next action.
    // A dry run changes nothing, so it goes on unrecorded rather than not at all.
    try {
      journal = new Journal(stateDirectory(io.env), runId, redact, (error) => interrupt.abort(error));
    } catch (error) {
      if (!dryRun) throw error;
      println(
        io.stderr,
        `! ${toRunbookError(error).message.replace(/: nothing was changed\.$/, '')}: this dry run is not recorded.`,
      );
    }
    recorder = combineRecorders(
      ...(journal === undefined ? [] : [journal]),
      changes,
      ...(notifier === undefined ? [] : [createRunNotifier(notifier, runId, runbook.id, redact)]),
    );
    if (request.resume === undefined) {
      recorder.record({
        type: 'start',
        runId,
        runbook: runbook.id,
        params: request.given,
        operator: operator(),
        host: hostname(),
        cluster: live.cluster,
        linode: { apiUrl: live.linode.apiUrl, account: live.linode.account },
        target: {
          ...(kubeconfig === undefined ? {} : { kubeconfig }),
          ...(context === undefined ? {} : { context }),
          ...(sim === undefined ? {} : { simulator: sim.scenario }),
        },
        dryRun,
      });
    } else {
      recorder.record({ type: 'resume', operator: operator(), host: hostname() });
    }

    const out = (line = ''): void => println(io.stdout, line);
    out(`runbook ${runbook.id}${dryRun ? ' · DRY RUN: nothing will be changed' : ''}`);
    out(`  cluster  ${live.cluster.context} at ${live.cluster.server} (${live.nodes} nodes)`);
    out(`  linode   ${live.linode.apiUrl} as ${live.linode.account ?? 'unknown user'}`);
    if (sim !== undefined) out(`  target   ${sim.describe}`);
    if (postgres !== undefined) {
      const pgIdentity = postgres.identity();
      out(`  postgres ${pgIdentity.url} via ${pgIdentity.via}`);
    }
    out(`  run      ${runId}${request.resume === undefined ? '' : ' (resumed)'}`);
    if (mutating && !dryRun) {
      const namespace = env.RUNBOOK_LOCK_NAMESPACE?.trim() || 'default';
      lock = await ClusterLock.acquire({
        read: live.read,
        write: live.write,
        holder: { identity: `${operator()}@${hostname()}`, runbook: runbook.id, runId },
        namespace,
        breakStale: flags.breakLock === true,
        confirmBreak: (stale) =>
          flags.yes === true ? Promise.resolve(true) : confirmTakeOver(stale.identity),
        onLost: (error) => interrupt.abort(error),
      });
      out(`  lock     ${namespace}/${LOCK_NAME}, held by this run until it ends`);
    }
    if (dryRun && !mutating) {
      out('  dry run  this runbook only reads: it runs against the cluster as it is');
    }
    if (dryRun && mutating) {
      twin = await startTwin(live, runbook, params);
      const { kubernetes, linodes, volumes } = twin.copied;
      out(
        `  twin     ${kubernetes} Kubernetes objects, ${linodes} Linodes and ${volumes} volumes copied into a simulator;`,
      );
      out(
        '           every step below runs there, at full speed, and is planned against what the steps before it left.',
      );
    }
    out();

    const target: Target =
      twin === undefined
        ? live
        : {
            ...twin.target,
            read: {
              ...twin.target.read,
              ...(live.read.postgres === undefined ? {} : { postgres: live.read.postgres }),
            },
            write: {
              ...twin.target.write,
              ...(live.read.postgres === undefined ? {} : { postgres: notPreviewablePostgres }),
            },
          };
    const preview = twin === undefined ? undefined : createPreview(live.write, target.write);
    run = new RunbookRun({
      runbook,
      params,
      read: target.read,
      write: target.write,
      confirmer: alwaysYes,
      signal: interrupt.signal,
      recorder,
      ...longWait(env),
      ...(preview !== undefined
        ? { perform: (action: Action) => preview.perform(action) }
        : mutating
          ? {}
          : { perform: (action: Action) => refuseChange(runbook.id, action) }),
      ...(request.resume === undefined ? {} : { completed: request.resume.completed }),
    });
    const started = Date.now();
    await runStepsWithListr(run, { interactive, tty: io.stdout.isTTY === true });
    recorder.record({ type: 'end', status: 'finished' });
    out();
    out(
      `✔ ${runbook.id} finished in ${((Date.now() - started) / 1000).toFixed(1)}s. ${summarize(run.results, dryRun)}`,
    );
    if (preview !== undefined && preview.entries.length > 0) {
      out('  Each change, previewed:');
      for (const entry of preview.entries) out(`    ${entry.label.padEnd(15)} ${entry.title}: ${entry.why}`);
    }
    if (dryRun) {
      out('  The twin behaves like a healthy cluster: a pod that will not die or a volume Linode will not');
      out('  release shows up only in the real run, which then plans the force-delete or detach it needs.');
    }
    return 0;
  } catch (error) {
    const failure = toRunbookError(error);
    if (!dryRun) for (const line of changes.lines()) println(io.stderr, line);
    if (journal === undefined) throw failure;
    recorder.record({
      type: 'end',
      status: failure.code,
      message: failure.message,
      ...(failure.next === undefined ? {} : { next: failure.next }),
    });
    if (run !== undefined && !dryRun && COMPENSATE_AFTER.has(failure.code)) {
      await offerCompensations(run, interactive ? plainPromptConfirmer : alwaysYes, io).catch(
        (error: unknown) => {
          println(io.stderr, `✖ Undoing failed too: ${toRunbookError(error).message}`);
        },
      );
    }
    const resumable = RESUMABLE.has(failure.code) && !dryRun && sim === undefined;
    const how = resumable
      ? `Resume with \`runbook resume ${journal.runId}\`: finished steps are not repeated.`
      : `The journal of this run: \`runbook log ${journal.runId}\`.`;
    throw new RunbookError(failure.code, failure.message, {
      cause: failure.cause,
      next: failure.next === undefined ? how : `${failure.next} ${how}`,
    });
  } finally {
    process.off('SIGINT', onSigint);
    await lock?.release();
    await postgres?.close();
    await notifier?.flush(3_000);
    await twin?.stop();
    await sim?.stop();
  }
}
