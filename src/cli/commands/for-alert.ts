// `runbook for-alert <AlertName>`: the runbook and the command line for a firing alert.
import { existsSync, readFileSync } from 'node:fs';
import { ALERT_ROUTES, type AlertRoute } from '../../../runbooks/alerts.js';
import { findRunbook } from '../../../runbooks/index.js';
import { RunbookError, invalidParameter } from '../../engine/errors.js';
import { flagFor } from '../../engine/params.js';
import { type Io, println } from '../io.js';

/** The routes in force: the built-in ones, with a team's file (same shape) taking precedence. */
export function alertRoutes(file: string | undefined): readonly AlertRoute[] {
  if (file === undefined || file === '') return ALERT_ROUTES;
  if (!existsSync(file)) throw invalidParameter(`The alerts file ${file} does not exist.`);
  let own: unknown;
  try {
    own = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw invalidParameter(
      `The alerts file ${file} is not JSON: it must be a list of {alert, runbook, params?, why}.`,
    );
  }
  if (
    !Array.isArray(own) ||
    !own.every(
      (r) => typeof (r as AlertRoute).alert === 'string' && typeof (r as AlertRoute).runbook === 'string',
    )
  ) {
    throw invalidParameter(`The alerts file ${file} must be a list of {alert, runbook, params?, why}.`);
  }
  const mine = own as AlertRoute[];
  return [...mine, ...ALERT_ROUTES.filter((r) => !mine.some((m) => m.alert === r.alert))];
}

function parseLabels(labels: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    labels.map((label) => {
      const at = label.indexOf('=');
      if (at <= 0) throw invalidParameter(`--label ${label} must look like name=value.`);
      return [label.slice(0, at), label.slice(at + 1)];
    }),
  );
}

export function forAlertCommand(
  alert: string,
  options: { label: string[]; alerts?: string },
  io: Io,
): Promise<number> {
  const routes = alertRoutes(options.alerts ?? io.env.RUNBOOK_ALERTS_FILE);
  const route = routes.find((r) => r.alert.toLowerCase() === alert.toLowerCase());
  if (route === undefined) {
    throw new RunbookError('usage', `No runbook answers the alert "${alert}".`, {
      next: `Known alerts: ${routes.map((r) => r.alert).join(', ')}. A team adds its own with --alerts <file>.`,
    });
  }
  const runbook = findRunbook(route.runbook);
  if (runbook === undefined) {
    throw new RunbookError(
      'usage',
      `The alert ${route.alert} names the runbook "${route.runbook}", which this version does not have.`,
    );
  }
  const labels = parseLabels(options.label);
  const args = Object.entries(route.params ?? {}).map(([name, value]) => {
    const filled = value.replace(/\{\{(\w+)\}\}/g, (_, label: string) => labels[label] ?? `<${label}>`);
    return `${flagFor(name)} ${filled}`;
  });
  println(io.stdout, `${route.alert} → ${route.runbook}: ${route.why}`);
  println(io.stdout, `  runbook ${[route.runbook, ...args].join(' ')} --dry-run   # rehearse`);
  println(io.stdout, `  runbook ${[route.runbook, ...args].join(' ')}             # recover`);
  return Promise.resolve(0);
}
