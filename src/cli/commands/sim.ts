// `runbook sim list` and `runbook sim start`: the simulated LKE cluster as a foreground server.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RunbookError, invalidParameter, usageError } from '../../engine/errors.js';
import { stateDirectory } from '../../engine/journal.js';
import { writePrivate } from '../../engine/private-file.js';
import { type ClockSpeed, parseClockSpeed } from '../../sim/clock.js';
import type { Scenario } from '../../sim/scenario.js';
import { SCENARIOS, findScenario } from '../../sim/scenarios/index.js';
import type { LoadReport } from '../../sim/load.js';
import type { RunningSimulator, WorldLoader } from '../../sim/server.js';
import { type Io, println } from '../io.js';
import { type OutputFormat, printAs } from '../output.js';
import { unreadableLoad } from '../unreadable-load.js';
import { noSuchScenario } from '../no-such-scenario.js';

export async function simListCommand(io: Io, format: OutputFormat = 'text'): Promise<number> {
  await printAs(
    io,
    format,
    () =>
      SCENARIOS.map((s) => ({
        name: s.name,
        summary: s.summary,
        ...(s.runbook === undefined ? {} : { runbook: s.runbook }),
      })),
    () => {
      const width = Math.max(...SCENARIOS.map((s) => s.name.length));
      for (const scenario of SCENARIOS)
        println(io.stdout, `${scenario.name.padEnd(width)}  ${scenario.summary}`);
    },
  );
  return 0;
}

export interface SimStartOptions {
  readonly scenario: string;
  readonly port: string;
  readonly kubeconfig?: string;
  readonly speed: string;
  readonly load?: string;
}

/** Named: where the user said. Otherwise the state directory, never the current one (git add ., npm pack). */
function kubeconfigPath(options: SimStartOptions, io: Io): string {
  if (options.kubeconfig !== undefined) return resolve(io.cwd, options.kubeconfig);
  const dir = join(stateDirectory(io.env), 'sim');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // the write that follows says why, in one sentence
  }
  return join(
    dir,
    `${options.load === undefined ? options.scenario : 'loaded'}-${String(process.pid)}.kubeconfig`,
  );
}

/** The world of a scenario or of `--load`, served on loopback. */
async function startFrom(
  scenario: Scenario,
  options: SimStartOptions,
  speed: ClockSpeed,
  port: number,
  io: Io,
): Promise<{ sim: RunningSimulator; report?: string[] }> {
  const { startSimulator, scenarioLoader } = await import('../../sim/server.js');
  let world: WorldLoader = scenarioLoader(scenario);
  let report: LoadReport | undefined;
  if (options.load !== undefined) {
    const { manifestsLoader } = await import('../../sim/load.js');
    const dir = resolve(io.cwd, options.load);
    try {
      const loaded = manifestsLoader(dir);
      world = loaded;
      report = loaded.report;
    } catch (error) {
      throw unreadableLoad(options.load, error);
    }
  }
  const sim = await startSimulator({ world, speed, port }).catch((error: unknown) => {
    // Only a socket error is the port's fault; anything else went wrong building the world.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== undefined && /^E(ADDRINUSE|ACCES|ADDRNOTAVAIL|PERM)$/.test(code))
      throw new RunbookError(
        'usage',
        `The simulator could not listen on 127.0.0.1:${port}: ${String(error)}.`,
        {
          next: 'Pick another --port, or 0 for any free one.',
        },
      );
    throw invalidParameter(
      `The simulated cluster could not be built${options.load === undefined ? '' : ` from --load ${options.load}`}: ${error instanceof Error ? error.message : String(error)}.`,
    );
  });
  if (report === undefined) return { sim };
  const { reportLines } = await import('../../sim/load.js');
  return { sim, report: reportLines(report) };
}

export async function simStartCommand(options: SimStartOptions, io: Io): Promise<number> {
  const scenario = findScenario(options.scenario);
  if (scenario === undefined) {
    throw noSuchScenario(options.scenario);
  }
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port) || port > 65535)
    throw invalidParameter(`--port must be 0 to 65535; "${options.port}" is not.`);
  const speed = parseClockSpeed(options.speed);
  if (speed === undefined)
    throw invalidParameter(`--speed must be a positive number or "instant"; "${options.speed}" is not.`);

  // Written first, so a path that cannot be written stops before a server keeps the process alive.
  const kubeconfig = kubeconfigPath(options, io);
  try {
    writePrivate(kubeconfig, '');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    if (options.kubeconfig === undefined) {
      throw new RunbookError(
        'journal-failed',
        `Cannot write the simulator's kubeconfig in ${dirname(kubeconfig)} (${why}): nothing was started.`,
        {
          next: 'Make it writable, point RUNBOOK_STATE_DIR at a directory that is, or give --kubeconfig <file>.',
        },
      );
    }
    throw usageError(
      `--kubeconfig ${options.kubeconfig}: cannot write there (${why}).`,
      'Pass a --kubeconfig path in a directory that exists and that you can write to.',
    );
  }

  // A refusal from here on leaves no empty kubeconfig of ours behind.
  const forget = (error: unknown): never => {
    if (options.kubeconfig === undefined) rmSync(kubeconfig, { force: true });
    throw error;
  };
  const { sim, report } = await startFrom(scenario, options, speed, port, io).catch(forget);
  // A rehearsal world comes up with what could be applied: what could not is said, the exit stays 0.
  for (const line of report ?? []) println(io.stdout, line);
  writePrivate(kubeconfig, sim.kubeconfig());
  println(
    io.stdout,
    `Simulated LKE cluster "${options.load === undefined ? scenario.name : `loaded from ${options.load}`}" listening on ${sim.url} (clock ×${String(speed)})`,
  );
  println(io.stdout, `export KUBECONFIG=${kubeconfig}`);
  println(io.stdout, `export LINODE_API_URL=${sim.linodeApiUrl}`);
  println(io.stdout, `export LINODE_TOKEN=${sim.linodeToken}`);
  println(io.stdout, `Control API: ${sim.url}/_sim/state, ${sim.url}/_sim/requests. Ctrl-C stops it.`);

  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.stop();
  // A kubeconfig of ours points at a server that is gone; one the user named is theirs to keep.
  if (options.kubeconfig === undefined) rmSync(kubeconfig, { force: true });
  println(io.stdout, 'Simulator stopped.');
  return 0;
}
