// A scenario's team repository written out as the team would hold it (one file per object, by
// namespace, and its other files), so training and tests hand real paths to the runbooks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Scenario } from './scenario.js';

interface TeamFile {
  readonly path: string;
  readonly text: string;
  readonly secret: boolean;
}

function teamFiles(scenario: Scenario, dir: string): TeamFile[] {
  return [
    ...(scenario.teamManifests ?? []).map((object) => ({
      path: join(
        dir,
        object.metadata.namespace ?? 'cluster',
        `${object.kind.toLowerCase()}-${object.metadata.name}.json`,
      ),
      text: `${JSON.stringify(object, null, 2)}\n`,
      secret: object.kind === 'Secret',
    })),
    ...Object.entries(scenario.teamFiles ?? {}).map(([name, text]) => ({
      path: join(dir, name),
      text,
      secret: false,
    })),
  ];
}

/** Whether the scenario has a team repository to check out at all. */
export const hasTeamRepository = (scenario: Scenario): boolean =>
  scenario.teamManifests !== undefined || scenario.teamFiles !== undefined;

/** The files writeTeamRepository would write under `dir`, so a caller can vet the place first. */
export const teamRepositoryPaths = (scenario: Scenario, dir: string): string[] =>
  teamFiles(scenario, dir).map((f) => f.path);

/** Writes them under `dir` and returns `dir`; folders and Secrets are readable by their owner only. */
export function writeTeamRepository(scenario: Scenario, dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const file of teamFiles(scenario, dir)) {
    mkdirSync(dirname(file.path), { recursive: true, mode: 0o700 });
    writeFileSync(file.path, file.text, { mode: file.secret ? 0o600 : 0o644 });
  }
  return dir;
}
