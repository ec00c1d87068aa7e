// `runbook train [scenario]`: the simulated cluster of one postmortem's night, the page the on-call
// person got that night and nothing more; training ends when the incident is resolved (or the
// trainee gives up), then a debrief against the night the postmortem tells.
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { RunbookError, invalidParameter, usageError } from '../../engine/errors.js';
import { stateDirectory } from '../../engine/journal.js';
import { writePrivate } from '../../engine/private-file.js';
import { LOCK_NAME } from '../../engine/lock.js';
import { parseClockSpeed } from '../../sim/clock.js';
import { recoveryCommands } from '../../sim/scenario.js';
import type { SimWorld } from '../../sim/world.js';
import { SCENARIOS, findScenario } from '../../sim/scenarios/index.js';
import { hasTeamRepository, teamRepositoryPaths, writeTeamRepository } from '../../sim/team-repository.js';
import { KEPT_TRAININGS, prepareTrainingFiles } from '../../training/files.js';
import { debrief, isChange } from '../../training/debrief.js';
import { nextScenario, readTrainings, saveTraining } from '../../training/progress.js';
import { type Io, println } from '../io.js';
import { historyEntries } from './history.js';

export interface TrainOptions {
  readonly speed: string;
  readonly port: string;
  readonly kubeconfig?: string;
  readonly workdir?: string;
  readonly history?: boolean;
  readonly output: string;
}

const trainable = SCENARIOS.filter((s) => s.runbook !== undefined);

function trainee(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function showHistory(options: TrainOptions, io: Io): number {
  const records = readTrainings(stateDirectory(io.env));
  if (options.output === 'json') {
    println(io.stdout, JSON.stringify(records, null, 2));
    return 0;
  }
  if (records.length === 0) println(io.stdout, 'No training yet: `runbook train` starts one.');
  for (const r of records) {
    const outcome = r.recovered
      ? `recovered in ${r.minutes.toFixed(1)} min`
      : `gave up after ${r.minutes.toFixed(1)} min`;
    println(
      io.stdout,
      `${r.started.slice(0, 16).replace('T', ' ')}  ${r.trainee}  ${r.scenario}  ${outcome}, ${r.changes} changes`,
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

export async function trainCommand(name: string | undefined, options: TrainOptions, io: Io): Promise<number> {
  if (options.output !== 'text' && options.output !== 'json') {
    throw invalidParameter(`--output must be text or json; "${options.output}" is not.`);
  }
  if (options.history === true) return showHistory(options, io);
  const stateDir = stateDirectory(io.env);
  const chosen =
    name ??
    nextScenario(
      trainable.map((s) => s.name),
      readTrainings(stateDir),
    );
  const scenario = chosen === undefined ? undefined : findScenario(chosen);
  if (scenario === undefined)
    throw usageError(`There is no scenario called "${chosen ?? ''}".`, '`runbook sim list` shows them.');
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

  const withRepo = hasTeamRepository(scenario);
  const files = prepareTrainingFiles({
    stateDir,
    cwd: io.cwd,
    scenario: scenario.name,
    now: new Date(),
    workdir: options.workdir,
    kubeconfig: options.kubeconfig,
    teamRepoPaths: (dir) => (withRepo ? teamRepositoryPaths(scenario, dir) : []),
  });

  const { startSimulator, scenarioLoader } = await import('../../sim/server.js');
  const sim = await startSimulator({ world: scenarioLoader(scenario), speed, port }).catch(
    (error: unknown) => {
      // Nothing of a training that never started is kept: its folder held only an empty kubeconfig.
      if (files.own) rmSync(files.folder, { recursive: true, force: true });
      throw new RunbookError(
        'usage',
        `The training cluster could not listen on 127.0.0.1:${port}: ${String(error)}.`,
      );
    },
  );
  const { kubeconfig, teamRepo: repoDir } = files;
  writePrivate(kubeconfig, sim.kubeconfig());
  if (withRepo) {
    rmSync(repoDir, { recursive: true, force: true });
    writeTeamRepository(scenario, repoDir);
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
      if (scenario.recovered(sim.world).ok) finish('recovered');
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
  out(`PAGER  ${scenario.alert}`);
  out();
  out('Investigate as you would that night. The cluster and the Linode API are here:');
  out(`  export KUBECONFIG=${kubeconfig}`);
  out(`  export LINODE_API_URL=${sim.linodeApiUrl}`);
  out(`  export LINODE_TOKEN=${sim.linodeToken}`);
  out('  then: kubectl get pods -A · kubectl describe … · runbook list · runbook <id> --dry-run');
  if (withRepo) out(`The team's kubernetes repository is checked out in ${repoDir}`);
  out(
    files.own
      ? `This training's files are in ${files.folder} (the last ${String(KEPT_TRAININGS)} trainings' folders are kept).`
      : `This training's files are in ${files.folder}; they stay there after it ends.`,
  );
  out('Training ends when the incident is resolved. Type "give up" and Enter, or press Ctrl-C, to stop.');

  const ended = await ending;
  const result = scenario.recovered(sim.world);
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
    recovery: recoveryCommands(scenario, repoDir),
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
