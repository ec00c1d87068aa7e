// Finds the team's runbook.config.yaml and loads it, before anything connects. The YAML parser is
// imported only when there is a file to read.
import { discoverConfig } from './discover.js';
import type { TeamConfig } from './schema.js';

/** The file at `path`, checked; `cwd` decides how messages name it. */
export async function loadConfigFile(path: string, cwd: string): Promise<TeamConfig> {
  const { readConfigFile } = await import('./read-config-file.js');
  return readConfigFile(path, cwd);
}

/** The team's configuration, or undefined when there is no file (RUNBOOK_CONFIG, or found upwards). */
export async function loadTeamConfig(io: {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}): Promise<TeamConfig | undefined> {
  const found = discoverConfig(io.cwd, io.env);
  return found === undefined ? undefined : loadConfigFile(found.path, io.cwd);
}
