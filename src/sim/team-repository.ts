// A scenario's team repository written out as the team would hold it (one file per object, by
// namespace, and its other files), so training and tests hand real paths to the runbooks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './scenario.js';

/** Writes them under `dir` and returns `dir`; Secrets are readable by their owner only. */
export function writeTeamRepository(scenario: Scenario, dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const object of scenario.teamManifests ?? []) {
    const folder = join(dir, object.metadata.namespace ?? 'cluster');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(folder, `${object.kind.toLowerCase()}-${object.metadata.name}.json`),
      `${JSON.stringify(object, null, 2)}\n`,
      { mode: object.kind === 'Secret' ? 0o600 : 0o644 },
    );
  }
  for (const [name, text] of Object.entries(scenario.teamFiles ?? {}))
    writeFileSync(join(dir, name), text, { mode: 0o644 });
  return dir;
}
