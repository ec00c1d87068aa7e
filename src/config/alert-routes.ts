// The team's alert routes, for `runbook for-alert`: tried before the built-in ones, so a team's own
// alert names and label mappings win over the defaults.
import type { AlertRoute } from '../../runbooks/alerts.js';
import type { TeamConfig } from './schema.js';

/** The `alerts:` of the file, in the file's order; none without a file. */
export function teamAlertRoutes(config: TeamConfig | undefined): AlertRoute[] {
  return (config?.alerts ?? []).map((route) => route.value);
}
