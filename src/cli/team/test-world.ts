// The world `runbook test` rehearses on: a built-in scenario, or the team's own (`--load <dir>`, its
// manifest folder, as `sim start --load` loads it), with the faults of `--faults <file>` on top. A
// faults file that is wrong, or aims a fault at nothing, stops here in one sentence (exit 3) before
// any run.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { invalidParameter, usageError } from '../../engine/errors.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import type { FaultsFile } from '../../sim/faults-file.js';
import type { LoadReport } from '../../sim/load.js';
import type { WorldWithFaults } from '../../sim/team-scenario.js';
import { findScenario } from '../../sim/scenarios/index.js';
import { type EmbeddedSimulator, startEmbeddedWorld } from '../embedded-sim.js';
import type { Io } from '../io.js';
import { unreadableLoad } from '../unreadable-load.js';

export interface TestWorldOptions {
  readonly scenario?: string;
  readonly speed: string;
  readonly load?: string;
  readonly faults?: string;
}

export interface TestWorld {
  readonly sim: EmbeddedSimulator;
  /** The world in words: `scenario healthy`, `the manifests of ./kubernetes`. */
  readonly shown: string;
  /** Where the recovered condition comes from, for the verdict. */
  readonly condition: string;
  /** What the load of a team's folder did: what failed, then the counts (empty for a built-in scenario). */
  readonly loaded: readonly string[];
}

function readFaultsFile(path: string, io: Io): Promise<FaultsFile> {
  return (async () => {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, path), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw invalidParameter(
        `--faults ${path}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : 'it cannot be read'}; nothing was started.`,
      );
    }
    const { parseFaultsFile } = await import('../../sim/faults-file.js');
    const parsed = parseFaultsFile(text);
    if (!parsed.ok) throw invalidParameter(`--faults ${path}: ${parsed.error}; nothing was started.`);
    return parsed.file;
  })();
}

export async function startTestWorld(
  runbook: AnyRunbook,
  options: TestWorldOptions,
  io: Io,
): Promise<TestWorld> {
  if (options.load !== undefined && options.scenario !== undefined)
    throw usageError(
      '--load and --scenario each name the world to rehearse on: give one of them.',
      '--load <dir> builds it from your manifest folder; --scenario <name> is a built-in one (`runbook sim list`).',
    );
  const name = options.scenario ?? runbook.defaultScenario;
  const scenario = options.load === undefined ? findScenario(name) : undefined;
  if (options.load === undefined && scenario === undefined)
    throw usageError(`There is no scenario called "${name}".`, '`runbook sim list` shows them.');
  const file: FaultsFile =
    options.faults === undefined ? { faults: [] } : await readFaultsFile(options.faults, io);

  const { teamScenario, withFaults } = await import('../../sim/team-scenario.js');
  const { scenarioLoader } = await import('../../sim/server.js');
  let world: WorldWithFaults;
  let report: LoadReport | undefined;
  if (scenario !== undefined) {
    world = withFaults(scenarioLoader(scenario), file, (w) => scenario.recovered(w));
  } else {
    const load = options.load ?? '';
    try {
      const team = teamScenario(resolve(io.cwd, load), file);
      world = team;
      report = team.report;
    } catch (error) {
      throw unreadableLoad(load, error);
    }
  }
  const sim = await startEmbeddedWorld(
    {
      loader: world.loader,
      name: scenario?.name ?? `load:${options.load ?? ''}`,
      recovered: world.recovered,
    },
    options.speed,
    io,
  );
  const missing = world.missing();
  if (missing.length > 0) {
    await sim.stop();
    throw invalidParameter(
      `--faults ${options.faults ?? ''}: ${missing[0] ?? ''}${missing.length > 1 ? ` (and ${missing.length - 1} more)` : ''}; nothing was run.`,
    );
  }
  const { reportLines } = await import('../../sim/load.js');
  // What was skipped is not a manifest (a README, Helm values): only what failed to apply is worth a line.
  const loaded =
    report === undefined
      ? []
      : reportLines(report).filter((l, i, all) => l.startsWith('failed') || i === all.length - 1);
  const condition = world.ownCondition
    ? "the faults file's condition"
    : scenario !== undefined
      ? "the scenario's condition"
      : 'the default condition: every node and workload Ready, no crash loop';
  const shown =
    scenario === undefined ? `the manifests of ${options.load ?? ''}` : `scenario ${scenario.name}`;
  return { sim, shown, condition, loaded };
}
