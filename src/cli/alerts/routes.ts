// The alert routes in force, each with where it came from: the team's own (the --alerts file or
// RUNBOOK_ALERTS_FILE, then the team configuration's `alerts:`) ahead of the built-in ones.
import { existsSync, readFileSync } from 'node:fs';
import { ALERT_ROUTES, type AlertRoute } from '../../../runbooks/alerts.js';
import { loadTeamConfig, teamAlertRoutes } from '../../config/index.js';
import { invalidParameter } from '../../engine/errors.js';
import type { Io } from '../io.js';

export interface SourcedRoute extends AlertRoute {
  /** "built-in", or the file the team's route came from. */
  readonly source: string;
}

/** A team's own routes and the file they came from. */
export interface TeamRoutes {
  readonly routes: readonly AlertRoute[];
  readonly source: string;
}

/**
 * The seam for the team configuration: returns the `alerts:` routes of runbook.config.yaml (and its
 * path), or undefined when there is none. A bad file throws its own one-sentence error.
 */
export type TeamRoutesSource = (io: Io) => TeamRoutes | undefined | Promise<TeamRoutes | undefined>;

export const noTeamRoutes: TeamRoutesSource = () => undefined;

/** The `alerts:` of the team's runbook.config.yaml (found upwards, or RUNBOOK_CONFIG). */
export const configRoutes: TeamRoutesSource = async (io) => {
  const config = await loadTeamConfig(io);
  return config === undefined ? undefined : { routes: teamAlertRoutes(config), source: config.shown };
};

const isRoute = (r: unknown): r is AlertRoute => {
  if (typeof r !== 'object' || r === null) return false;
  const { alert, runbook, params, why } = r as Record<string, unknown>;
  return (
    typeof alert === 'string' &&
    typeof runbook === 'string' &&
    (why === undefined || typeof why === 'string') &&
    (params === undefined ||
      (typeof params === 'object' &&
        params !== null &&
        Object.values(params).every((v) => typeof v === 'string')))
  );
};

/** A JSON file of routes (the --alerts flag, or RUNBOOK_ALERTS_FILE). */
export function routesFile(file: string): TeamRoutes {
  if (!existsSync(file)) throw invalidParameter(`The alerts file ${file} does not exist.`);
  const shape = 'a list of {alert, runbook, params?, why}';
  let own: unknown;
  try {
    own = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw invalidParameter(`The alerts file ${file} is not JSON: it must be ${shape}.`);
  }
  if (!Array.isArray(own) || !own.every(isRoute)) {
    throw invalidParameter(`The alerts file ${file} must be ${shape}, with text values in params.`);
  }
  return { routes: own.map((r) => ({ ...r, why: r.why ?? '' })), source: file };
}

/** Earlier sources win: a name routed by the team hides the built-in route of that name. */
export function routesInForce(teams: readonly (TeamRoutes | undefined)[]): readonly SourcedRoute[] {
  const all: SourcedRoute[] = [];
  for (const team of teams) {
    if (team !== undefined) all.push(...team.routes.map((r) => ({ ...r, source: team.source })));
  }
  all.push(...ALERT_ROUTES.map((r) => ({ ...r, source: 'built-in' })));
  return all.filter((r, i) => all.findIndex((o) => o.alert === r.alert) === i);
}

/** The route for an alert name: the exact name first, then the same name in other letter case. */
export function routeFor(routes: readonly SourcedRoute[], alert: string): SourcedRoute | undefined {
  return (
    routes.find((r) => r.alert === alert) ?? routes.find((r) => r.alert.toLowerCase() === alert.toLowerCase())
  );
}
