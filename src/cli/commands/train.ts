// `runbook train [scenario]`: the simulated cluster of one postmortem's night, the page the on-call
// person got that night and nothing more; training ends when the incident is resolved (or the
// trainee gives up), then a debrief against the night the postmortem tells.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { RunbookError, invalidParameter, notFound, usageError } from '../../engine/errors.js';
import { stateDirectory } from '../../engine/journal.js';
import { writePrivate } from '../../engine/private-file.js';
import { plural } from '../../engine/plural.js';
import { LOCK_NAME } from '../../engine/lock.js';
import { parseClockSpeed } from '../../sim/clock.js';
import { type Scenario, recoveryCommands } from '../../sim/scenario.js';
import type { NightLoader } from '../../sim/load-night.js';
import type { WorldLoader } from '../../sim/server.js';
import type { SimWorld } from '../../sim/world.js';
import { SCENARIOS, findScenario } from '../../sim/scenarios/index.js';
import { hasTeamRepository, teamRepositoryPaths, writeTeamRepository } from '../../sim/team-repository.js';
import { KEPT_TRAININGS, prepareTrainingFiles, refuseExposedWorkdir } from '../../training/files.js';
import { debrief, isChange } from '../../training/debrief.js';
import { nextScenario, readTrainings, saveTraining } from '../../training/progress.js';
import { type Io, println } from '../io.js';
import { htmlOutput } from '../output-html.js';
import { type OutputFormat, parseOutput, printData } from '../output.js';
import { historyEntries } from './history.js';
import { unreadableLoad } from '../unreadable-load.js';
import { noSuchScenario } from '../no-such-scenario.js';

export interface TrainOptions {
  readonly speed: string;
  readonly port: string;
  readonly kubeconfig?: string;
  readonly workdir?: string;
  /** A team's repository to train on: the scenario's fault is aimed at its workloads. */
  readonly load?: string;
  readonly history?: boolean;
  readonly output?: string;
}

const trainable = SCENARIOS.filter((s) => s.runbook !== undefined);

function trainee(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const TRAIN_HISTORY_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml', 'html'];

async function showHistory(format: OutputFormat, io: Io): Promise<number> {
  const records = readTrainings(stateDirectory(io.env));
  if (format === 'json' || format === 'yaml') {
    await printData(io, format, records);
    return 0;
  }
  if (format === 'html') {
    await htmlOutput({ kind: 'train-history', records }, io);
    return 0;
  }
  if (records.length === 0) println(io.stdout, 'No training yet: `runbook train` starts one.');
  for (const r of records) {
    const outcome = r.recovered
      ? `recovered in ${r.minutes.toFixed(1)} min`
      : `gave up after ${r.minutes.toFixed(1)} min`;
    println(
      io.stdout,
      `${r.started.slice(0, 16).replace('T', ' ')}  ${r.trainee}  ${r.scenario}  ${outcome}, ${plural(r.changes, 'change')}`,
    );
  }
  return 0;
}

/**
 * The incident can be over while the trainee's runbook is still checking its work: the cluster stays
 * up until no run holds the cluster lock and the API has been quiet for a second, at most a minute.
 */
async function untilRunsFinish(sim: { world: SimWorld; requests: readonly unknown[] }): Promise<void> {
  const deadline = Date.now() + 60_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const locked = sim.world.kube
      .list('coordination.k8s.io/v1', 'Lease')
      .some((lease) => lease.metadata.name === LOCK_NAME);
    if (!locked && sim.requests.length === seen) return;
    seen = sim.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The loader of `--load <dir>` with the scenario's night on it; refuses, changing nothing, when it cannot be. */
async function repositoryNight(scenario: Scenario, load: string, io: Io): Promise<NightLoader> {
  const { nightLoader } = await import('../../sim/load-night.js');
  let mapped: ReturnType<typeof nightLoader>;
  try {
    mapped = nightLoader(scenario, resolve(io.cwd, load));
  } catch (error) {
    throw unreadableLoad(load, error);
  }
  if (!mapped.ok) throw notFound(`Cannot train on ${load}: ${mapped.why}`);
  return mapped.value;
}

/** The scenarios a trainee may be given: with --load, only the nights the repository can take. */
async function candidates(load: string | undefined, io: Io): Promise<string[]> {
  if (load === undefined) return trainable.map((s) => s.name);
  const { nightsTaken } = await import('../../sim/load-night.js');
  try {
    return nightsTaken(trainable, resolve(io.cwd, load));
  } catch (error) {
    throw unreadableLoad(load, error);
  }
}

export async function trainCommand(name: string | undefined, options: TrainOptions, io: Io): Promise<number> {
  if (options.history === true) {
    return showHistory(parseOutput(options.output, TRAIN_HISTORY_FORMATS), io);
  }
  if (options.output !== undefined && options.output !== 'text') {
    throw usageError(
      '-o/--output goes with --history: a training session itself is a conversation, not data.',
    );
  }
  const stateDir = stateDirectory(io.env);
  const chosen = name ?? nextScenario(await candidates(options.load, io), readTrainings(stateDir));
  const scenario = chosen === undefined ? undefined : findScenario(chosen);
  if (scenario === undefined) throw noSuchScenario(chosen ?? '');
  if (scenario.runbook === undefined) {
    throw usageError(
      `Scenario ${scenario.name} has no incident to recover from.`,
      `Train on one of: ${trainable.map((s) => s.name).join(', ')}.`,
    );
  }
  const speed = parseClockSpeed(options.speed);
  if (speed === undefined)
    throw invalidParameter(`--speed must be a positive number or "instant"; "${options.speed}" is not.`);
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535)
    throw invalidParameter(`--port must be 0 to 65535; "${options.port}" is not.`);

  const repository =
    options.load === undefined ? undefined : await repositoryNight(scenario, options.load, io);
  const filesRequest = {
    stateDir,
    cwd: io.cwd,
    scenario: scenario.name,
    workdir: options.workdir,
    kubeconfig: options.kubeconfig,
    // Only a scenario's own team repository is written out; a loaded night's is the team's folder.
    teamRepoPaths: (dir: string) =>
      repository === undefined && hasTeamRepository(scenario) ? teamRepositoryPaths(scenario, dir) : [],
  };
  refuseExposedWorkdir({ ...filesRequest, now: new Date() });

  // The simulator starts before any file is written: a port in use or a world that cannot be built
  // leaves nothing behind.
  const { startSimulator, scenarioLoader } = await import('../../sim/server.js');
  const world: WorldLoader = repository?.loader ?? scenarioLoader(scenario);
  const sim = await startSimulator({ world, speed, port }).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && /^E(ADDRINUSE|ACCES|ADDRNOTAVAIL|PERM)$/.test(code))
      throw new RunbookError(
        'usage',
        `The training cluster could not listen on 127.0.0.1:${port}: ${String(error)}.`,
        { next: 'Pick another --port, or 0 for any free one.' },
      );
    if (options.load === undefined) throw error; // a scenario that cannot be built is a bug
    throw invalidParameter(
      `The training cluster could not be built from --load ${options.load}: ${error instanceof Error ? error.message : String(error)}.`,
    );
  });
  let played: Scenario = scenario;
  let target: string | undefined;
  if (repository !== undefined) {
    const night = repository.night();
    if (typeof night === 'string') {
      await sim.stop();
      throw notFound(
        `Cannot train on ${options.load ?? ''}: ${scenario.name} found nothing to aim at: ${night}.`,
      );
    }
    played = night.scenario;
    target = night.target;
  }

  const withRepo = hasTeamRepository(played);
  let files: ReturnType<typeof prepareTrainingFiles>;
  try {
    files = prepareTrainingFiles({ ...filesRequest, now: new Date() });
  } catch (error) {
    await sim.stop();
    throw error;
  }
  const { kubeconfig } = files;
  // A loaded night's repository is the team's own folder; a scenario's is written out for it.
  const repoDir = options.load === undefined ? files.teamRepo : resolve(io.cwd, options.load);
  writePrivate(kubeconfig, sim.kubeconfig());
  if (withRepo) {
    rmSync(repoDir, { recursive: true, force: true });
    writeTeamRepository(played, repoDir);
  }
  const startedAt = new Date().toISOString();
  const simStart = sim.world.clock.nowMs();
  // Listening for Ctrl-C and recovery starts before the briefing: a trainee may give up at once.
  const ending = new Promise<'recovered' | 'gave up'>((done) => {
    const finish = (how: 'recovered' | 'gave up'): void => {
      clearInterval(timer);
      unsubscribe();
      process.off('SIGINT', giveUp);
      lines?.close();
      done(how);
    };
    const giveUp = (): void => finish('gave up');
    const check = (): void => {
      if (played.recovered(sim.world).ok) finish('recovered');
    };
    const unsubscribe = sim.world.linode.onChange(check);
    const timer = setInterval(check, 250);
    process.on('SIGINT', giveUp);
    const lines = io.stdin.isTTY === true ? createInterface({ input: io.stdin }) : undefined;
    lines?.on('line', (line) => {
      if (/^\s*give up\s*$/i.test(line)) giveUp();
    });
  });

  const out = (line = ''): void => println(io.stdout, line);
  out(`Training: ${scenario.name} (a simulated LKE cluster on ${sim.url}, clock ×${String(speed)})`);
  out();
  if (repository !== undefined) {
    const loaded = repository.loader.report;
    const skipped = loaded.notes.filter((n) => n.outcome === 'skipped').length;
    out(
      `Your repository ${options.load ?? ''}: ${plural(loaded.applied, 'object')} applied, ${plural(skipped, 'file')} skipped, ${String(loaded.notes.length - skipped)} failed (\`runbook sim start --load\` lists them). The night strikes ${target ?? ''}.`,
    );
    out();
  }
  out(`PAGER  ${played.alert}`);
  out();
  out('Investigate as you would that night. The cluster and the Linode API are here:');
  out(`  export KUBECONFIG=${kubeconfig}`);
  out(`  export LINODE_API_URL=${sim.linodeApiUrl}`);
  out(`  export LINODE_TOKEN=${sim.linodeToken}`);
  out('  then: kubectl get pods -A · kubectl describe … · runbook list · runbook <id> --dry-run');
  if (withRepo) out(`The team's kubernetes repository is checked out in ${repoDir}`);
  if (repository !== undefined) out(`The team's kubernetes repository is ${repoDir}`);
  out(
    files.own
      ? `This training's files are in ${files.folder} (the last ${String(KEPT_TRAININGS)} trainings' folders are kept).`
      : `This training's files are in ${files.folder}; they stay there after it ends.`,
  );
  out('Training ends when the incident is resolved. Type "give up" and Enter, or press Ctrl-C, to stop.');

  const ended = await ending;
  const result = played.recovered(sim.world);
  const minutes = (sim.world.clock.nowMs() - simStart) / 60_000;
  if (ended === 'recovered') await untilRunsFinish(sim);

  const runs = historyEntries(stateDir, 200).filter(
    (r) => r.started >= startedAt && r.clusterServer === sim.url,
  );
  out();
  out(ended === 'recovered' ? '✔ Incident resolved.' : '✖ You gave up.');
  for (const line of debrief({
    scenario: scenario.name,
    runbook: scenario.runbook,
    recovery: recoveryCommands(played, repoDir),
    recovered: result.ok,
    detail: result.detail,
    simMinutes: minutes,
    requests: sim.requests,
  })) {
    out(line);
  }
  if (runs.length > 0)
    out(`Runbooks you ran: ${runs.map((r) => `${r.runbook} (run ${r.runId}, ${r.status})`).join(', ')}.`);
  saveTraining(stateDir, {
    trainee: trainee(),
    scenario: scenario.name,
    started: startedAt,
    recovered: result.ok,
    minutes,
    changes: sim.requests.filter(isChange).length,
    runbooks: [...new Set(runs.map((r) => r.runbook))],
  });
  await sim.stop();
  return 0;
}
