// `runbook <id>` and `runbook resume <run-id>`: validate, refuse what cannot be asked, connect, show
// where, journal, then run the steps as a listr2 task list with the engine's confirmations.
import { hostname, userInfo } from 'node:os';
import { type Confirmer, alwaysYes } from '../../engine/confirm.js';
import { RunbookError } from '../../engine/errors.js';
import { ChangesMade } from '../../engine/changes-made.js';
import { Journal, newRunId, readJournal, stateDirectory } from '../../engine/journal.js';
import { ClusterLock, LOCK_NAME } from '../../engine/lock.js';
import {
  type JournalEvent,
  type RunRecorder,
  combineRecorders,
  noRecorder,
} from '../../engine/journal-events.js';
import { outcomeOf } from '../../engine/run-outcome.js';
import { plural } from '../../engine/plural.js';
import { createRunNotifier, notifierFromEnvironment } from '../../providers/notify/index.js';
import { resolveParams } from '../../engine/params.js';
import {
  type TeamConfig,
  effectiveParams,
  effectiveSettings,
  loadTeamConfig,
  withSettings,
} from '../../config/index.js';
import { createRedactor, secretsInEnvironment, secretsInUrl } from '../../engine/redact.js';
import { type CompletedStep, RunbookRun } from '../../engine/run.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { toRunbookError } from '../errors.js';
import { printRunResult, wantsJsonResult } from '../output-run.js';
import { type Io, println } from '../io.js';
import { runStepsWithListr } from '../listr-run.js';
import { plainPromptConfirmer } from '../prompt-confirmer.js';
import type { RunFlags } from '../main.js';
import { type EmbeddedSimulator, startEmbeddedSimulator } from '../embedded-sim.js';
import type { Target } from '../target.js';
import { dryRunTarget } from '../postgres-target.js';
import { connectRunTarget } from '../run-target.js';
import type { PostgresConnection } from '../../providers/postgres/index.js';
import { type Twin, startTwin } from '../twin.js';
import { createPreview } from '../preview.js';
import { confirmBreak, wantsBreak } from '../break-lock.js';
import { runReport } from '../run-report.js';
import type { Action } from '../../engine/vocabulary/index.js';
import { namespacesOf } from '../../engine/needs.js';
import { refusal, refusalReason } from '../../engine/permissions/preflight.js';
import { missingPermissions } from '../run-preflight.js';

/** Codes after which the changes already made are offered for undoing (not after Ctrl-C or a lost lock). */
const COMPENSATE_AFTER = new Set(['step-failed', 'wait-timeout', 'precondition', 'declined']);

/** Offers, step by step and latest first, what undoes the changes this run made before it failed. */
async function offerCompensations(
  run: RunbookRun,
  confirmer: Confirmer,
  progress: NodeJS.WritableStream,
): Promise<void> {
  const steps = run.compensable();
  if (steps.length === 0) return;
  println(progress);
  println(progress, 'The run stopped after changing things. What would undo them:');
  for (const step of steps) {
    println(progress, `  Undo: ${step.title}`);
    const out = { say: (line: string) => println(progress, `    ${line}`), progress: () => undefined };
    if (await run.compensate(step, out, confirmer)) println(progress, '    undone');
  }
}

/** Signals that stop a run as Ctrl-C does: before the next action, journaled as interrupted. */
const STOP_SIGNALS = [
  { signal: 'SIGINT', code: 'interrupted', what: 'Interrupted by Ctrl-C' },
  { signal: 'SIGHUP', code: 'hangup', what: 'The terminal hung up (SIGHUP)' },
  { signal: 'SIGTERM', code: 'terminated', what: 'Terminated (SIGTERM)' },
] as const;

/** The signal behind an interruption code, for the journal's end record. */
const signalOf = (code: string): string | undefined =>
  STOP_SIGNALS.find((s) => s.code === code && s.signal !== 'SIGINT')?.signal;

/** Codes after which `runbook resume` can carry on where the run stopped. */
const RESUMABLE = new Set([
  'interrupted',
  'hangup',
  'terminated',
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
  /** The team's runbook.config.yaml, when already loaded (a resume loads it for the lock and chat). */
  readonly config?: TeamConfig | undefined;
  /** A simulator already started (by `runbook test`): used instead of --sim's, and left running. */
  readonly simulator?: EmbeddedSimulator;
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
  simulator?: EmbeddedSimulator,
): Promise<number> {
  // The team's file is read and checked before anything connects: a bad one stops here, exit 3.
  const config = await loadTeamConfig(io);
  const { given } = effectiveParams(runbook, givenParams(runbook, flags), io.env, config);
  return executeRun({ runbook, given, flags, config, ...(simulator === undefined ? {} : { simulator }) }, io);
}

/** Whether a --database-url carries a password, which every `ps` on the machine shows. */
function passwordOnCommandLine(databaseUrl: string | undefined): boolean {
  if (databaseUrl === undefined) return false;
  try {
    return new URL(databaseUrl).password !== '';
  } catch {
    return false;
  }
}

/** A run that only reads holds no lock and asked no one: a change planned anyway is a bug, never sent. */
function refuseChange(runbookId: string, action: Action): Promise<never> {
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
  const settings = effectiveSettings(io.env, 'config' in request ? request.config : await loadTeamConfig(io));
  const dryRun = flags.dryRun === true;
  const interactive = !dryRun && flags.yes !== true;
  const mutating = runbook.mutating && runbook.readsOnlyWhen?.(params) !== true;
  // -o json: the result alone on stdout; the task list and the lines for people on stderr.
  const json = wantsJsonResult(flags.output);
  const progress = json ? io.stderr : io.stdout;
  const runStarted = Date.now();
  if (mutating && interactive && io.stdin.isTTY !== true) {
    throw new RunbookError(
      'needs-terminal',
      `${runbook.id} changes the cluster and asks before every change, but there is no terminal to ask on.`,
      {
        next: 'Run it in a terminal, rehearse it with --dry-run, or pass --yes to answer yes to every question.',
      },
    );
  }

  const ownSim: EmbeddedSimulator | undefined =
    flags.sim === undefined || request.simulator !== undefined
      ? undefined
      : await startEmbeddedSimulator(runbook, flags, io);
  const sim = request.simulator ?? ownSim;
  const env = withSettings(sim?.env ?? io.env, settings);
  const interrupt = new AbortController();
  const onSignals = STOP_SIGNALS.map(({ signal, code, what }) => {
    const on = (): void =>
      interrupt.abort(new RunbookError(code, `${what}: stopped before the next action.`));
    process.on(signal, on);
    return () => process.off(signal, on);
  });
  let twin: Twin | undefined;
  let lock: ClusterLock | undefined;
  let postgres: PostgresConnection | undefined;
  let run: RunbookRun | undefined;
  let journal: Journal | undefined;
  let recorder: RunRecorder = noRecorder;
  const changes = new ChangesMade();
  // This session's events, for the final summary when there is no journal to read it back from.
  const events: JournalEvent[] = [];
  /** Warnings of the run itself, repeated in the final summary. */
  const runWarnings: string[] = [];
  // A dry run changes nothing, so it tells the team nothing: chat never reads a rehearsal as a change.
  const notifier = dryRun ? undefined : notifierFromEnvironment(env);
  if (passwordOnCommandLine(flags.databaseUrl)) {
    println(
      io.stderr,
      '! The password in --database-url is visible to every user of this machine (ps): put it in PGPASSWORD, a pgpass file (PGPASSFILE) or DATABASE_URL in .env, and give --database-url without it.',
    );
  }
  const resultOf = (runId: string | undefined) => ({
    ...(runId === undefined ? {} : { runId }),
    runbook: runbook.id,
    dryRun,
    seconds: Math.round((Date.now() - runStarted) / 100) / 10,
    steps: run?.results ?? [],
    changes: changes.list,
  });
  try {
    const kubeconfig = sim?.kubeconfig ?? flags.kubeconfig;
    const context = sim === undefined ? flags.context : undefined;
    // Before anything is read or changed: a run its credentials would refuse halfway stops here. A dry
    // run goes on (it changes nothing) and says the real run would be refused.
    if (mutating && !(dryRun && runbook.needs?.cluster === 'for-port-forward-and-lock')) {
      const missing = await missingPermissions(runbook, params, {
        kubeconfig,
        context,
        env,
        lockNamespace: settings.lockNamespace.value,
        databaseUrl: flags.databaseUrl,
      });
      if (missing !== undefined && missing.length > 0) {
        const namespaces = namespacesOf(runbook, params);
        const refused = refusal(runbook.id, missing, namespaces === 'all' ? undefined : namespaces[0]);
        if (!dryRun) throw refused;
        const warning = `The real run would be refused before any change: ${refusalReason(missing)}. ${refused.next ?? ''}`;
        runWarnings.push(warning);
        println(io.stderr, `! ${warning}`);
      }
    }
    const pg = await connectRunTarget(runbook, params, {
      kubeconfig,
      context,
      env,
      databaseUrl: flags.databaseUrl,
      changes: mutating && !dryRun,
    });
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
      { record: (event) => void events.push(event) },
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

    const out = (line = ''): void => println(progress, line);
    out(`runbook ${runbook.id}${dryRun ? ' · DRY RUN: nothing will be changed' : ''}`);
    out(
      `  cluster  ${live.unused?.cluster ?? `${live.cluster.context} at ${live.cluster.server} (${plural(live.nodes, 'node')})`}`,
    );
    out(
      `  linode   ${live.unused?.linode ?? `${live.linode.apiUrl} as ${live.linode.account ?? 'unknown user'}`}`,
    );
    if (sim !== undefined) out(`  target   ${sim.describe}`);
    if (postgres !== undefined) {
      const pgIdentity = postgres.identity();
      out(`  postgres ${pgIdentity.url} via ${pgIdentity.via}`);
    }
    out(`  run      ${runId}${request.resume === undefined ? '' : ' (resumed)'}`);
    if (mutating && !dryRun) {
      const namespace = settings.lockNamespace.value;
      lock = await ClusterLock.acquire({
        read: live.read,
        write: live.write,
        holder: { identity: `${operator()}@${hostname()}`, runbook: runbook.id, runId },
        namespace,
        breakStale: wantsBreak(flags.breakLock),
        confirmBreak: async (stale) => {
          const confirmed = await confirmBreak(flags.breakLock, stale, io.stdin.isTTY === true, {
            input: io.stdin,
            output: progress,
          });
          if (confirmed)
            runWarnings.push(
              `The stale cluster lock of ${stale.identity} (${stale.runbook}, run ${stale.runId}) was taken over: make sure that run is dead.`,
            );
          return confirmed;
        },
        onLost: (error) => interrupt.abort(error),
      });
      out(
        `  lock     ${namespace}/${LOCK_NAME}, held by this run until it ends${runWarnings.length > 0 ? ' (taken over: it was stale)' : ''}`,
      );
    }
    if (dryRun && !mutating) {
      out('  dry run  this runbook only reads: it runs against the cluster as it is');
    }
    if (dryRun && mutating && runbook.needs?.cluster === 'for-port-forward-and-lock') {
      out(
        '  dry run  Postgres has no twin: each change is checked as far as it can be without making it, then left undone',
      );
    } else if (dryRun && mutating) {
      twin = await startTwin(live, runbook, params);
      const { kubernetes, secrets, linodes, volumes } = twin.copied;
      out(
        `  twin     ${plural(kubernetes, 'Kubernetes object')}, ${plural(linodes, 'Linode')} and ${plural(volumes, 'volume')} copied into a simulator`,
      );
      out(
        twin.copied.assumedSecrets > 0
          ? `           (Secrets may not be listed with this kubeconfig: the ${twin.copied.assumedSecrets} the workloads name are assumed to exist);`
          : `           (${secrets} Secrets among them: names and key names only, never a value);`,
      );
      out(
        '           every step below runs there, at full speed, and is planned against what the steps before it left.',
      );
    }
    out();

    const target: Target = dryRun && mutating ? dryRunTarget(live, twin?.target, runbook.id) : live;
    const preview = dryRun && mutating ? createPreview(live.write, target.write) : undefined;
    run = new RunbookRun({
      runbook,
      params,
      read: target.read,
      write: target.write,
      confirmer: alwaysYes,
      dryRun,
      operator: operator(),
      signal: interrupt.signal,
      recorder,
      ...(sim === undefined ? {} : { clock: sim.waitClock }),
      ...longWait(env),
      ...(preview !== undefined
        ? { perform: (action: Action, step: { title: string }) => preview.perform(action, step) }
        : mutating
          ? {}
          : { perform: (action: Action) => refuseChange(runbook.id, action) }),
      ...(request.resume === undefined ? {} : { completed: request.resume.completed }),
      ...(twin === undefined ? {} : { quiet: twin.world }),
    });
    const started = Date.now();
    await runStepsWithListr(run, {
      interactive,
      tty: (json ? process.stderr.isTTY : io.stdout.isTTY) === true,
      stream: progress,
    });
    recorder.record({ type: 'end', status: 'finished' });
    out();
    for (const line of runReport({
      runbookId: runbook.id,
      stepIds: runbook.steps.map((step) => step.id),
      outcome: outcomeOf(journal === undefined ? events : readJournal(stateDirectory(io.env), runId)),
      seconds: (Date.now() - started) / 1000,
      dryRun,
      runWarnings,
      runId: journal?.runId,
      previewed: (preview?.entries ?? []).map((e) => `${e.label.padEnd(15)} ${e.title}: ${e.why}`),
    }))
      out(line);
    if (json) printRunResult(io, resultOf(runId));
    return 0;
  } catch (error) {
    const failure = toRunbookError(error);
    if (!dryRun) for (const line of changes.lines()) println(io.stderr, line);
    // What mattered (no backup taken, a lock taken over) is said again where the run stopped.
    for (const warning of [...outcomeOf(events).warnings, ...runWarnings]) println(io.stderr, `! ${warning}`);
    if (journal === undefined) {
      if (json) printRunResult(io, resultOf(request.resume?.runId), failure);
      throw failure;
    }
    const signal = signalOf(failure.code);
    recorder.record({
      type: 'end',
      ...(signal === undefined ? { status: failure.code } : { status: 'interrupted', signal }),
      message: failure.message,
      ...(failure.next === undefined ? {} : { next: failure.next }),
    });
    if (run !== undefined && !dryRun && COMPENSATE_AFTER.has(failure.code)) {
      const confirmer = interactive ? plainPromptConfirmer({ input: io.stdin, output: progress }) : alwaysYes;
      await offerCompensations(run, confirmer, progress).catch((error: unknown) => {
        println(io.stderr, `✖ Undoing failed too: ${toRunbookError(error).message}`);
      });
    }
    const resumable = RESUMABLE.has(failure.code) && !dryRun && sim === undefined;
    const how = resumable
      ? `Resume with \`runbook resume ${journal.runId}\`: finished steps are not repeated.`
      : `The journal of this run: \`runbook log ${journal.runId}\`.`;
    const told = new RunbookError(failure.code, failure.message, {
      cause: failure.cause,
      next: failure.next === undefined ? how : `${failure.next} ${how}`,
    });
    if (json) printRunResult(io, resultOf(journal.runId), told);
    throw told;
  } finally {
    // The signal handlers stay until the lock is released: a second Ctrl-C during this bounded clean-up
    // is absorbed, where Node's default would kill the process and leave the lock held.
    await lock?.release();
    await postgres?.close();
    await notifier?.flush(3_000);
    await twin?.stop();
    await ownSim?.stop();
    for (const off of onSignals) off();
  }
}
