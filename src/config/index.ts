// The team's configuration (runbook.config.yaml): what the CLI imports from this folder.
export { loadTeamConfig, loadConfigFile } from './load.js';
export { discoverConfig } from './discover.js';
export { teamAlertRoutes } from './alert-routes.js';
export { effectiveParams, paramVariable } from './effective-params.js';
export { effectiveSettings, withSettings, type Settings } from './effective-settings.js';
export type { TeamConfig, TeamConfigFile } from './schema.js';
export { CONFIG_FILE_NAME, CONFIG_ENV } from './schema.js';
export { type Source, type Effective, describeSource } from './source.js';
