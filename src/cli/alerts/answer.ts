// One firing alert against the routes: the runbook's command line with its parameters filled from the
// alert's labels, or why there is none (no route; a label missing or unusable; a route that is wrong).
import { isRunbookError } from '../../engine/errors.js';
import { flagFor } from '../../engine/params.js';
import { printable } from '../errors.js';
import { findAnyRunbook } from '../team/registry.js';
import type { Alert } from './payload.js';
import type { SourcedRoute } from './routes.js';
import { hasControlCharacters, shellOption } from './shell.js';
import { fillTemplate } from './template.js';

export type Answer =
  | {
      readonly kind: 'command';
      readonly alert: Alert;
      readonly route: SourcedRoute;
      /** `runbook <id> <flags>`, every value quoted for the shell. */
      readonly command: string;
      /** The labels the command was filled from. */
      readonly used: readonly string[];
    }
  | { readonly kind: 'unrouted'; readonly alert: Alert }
  /** The alert's labels cannot fill the command: exit 15, as for anything else not there. */
  | { readonly kind: 'unfilled'; readonly alert: Alert; readonly message: string }
  /** A label value no command line should carry, or a route that is wrong: exit 3. */
  | { readonly kind: 'refused'; readonly alert: Alert; readonly message: string };

const nameOf = (alert: Alert): string => alert.labels.alertname ?? '';

export function answer(alert: Alert, route: SourcedRoute | undefined): Answer {
  if (route === undefined) return { kind: 'unrouted', alert };
  const name = printable(nameOf(alert));
  const from = route.source === 'built-in' ? 'built-in route' : `route in ${route.source}`;
  const refused = (message: string): Answer => ({ kind: 'refused', alert, message });
  const unfilled = (message: string): Answer => ({ kind: 'unfilled', alert, message });
  const runbook = findAnyRunbook(route.runbook);
  if (runbook === undefined) {
    return refused(
      `The ${from} for ${name} names the runbook "${route.runbook}", which this version does not have.`,
    );
  }
  const words = ['runbook', runbook.id];
  const used: string[] = [];
  const params = route.params ?? {};
  for (const [param, template] of Object.entries(params)) {
    const spec = runbook.params[param];
    const flag = flagFor(param);
    if (spec === undefined) {
      return refused(`The ${from} for ${name} passes ${flag}, which ${runbook.id} does not take.`);
    }
    const filled = fillTemplate(template, alert.labels);
    if (!filled.ok && 'malformed' in filled) {
      return refused(
        `The ${from} for ${name} gives ${flag} "${filled.malformed}", which is not {{label}} or {{label|label}}.`,
      );
    }
    if (!filled.ok) {
      const labels = Object.keys(alert.labels).map(printable).join(', ');
      return unfilled(
        `${name} → ${runbook.id}: no label ${filled.missing.join(' or ')} to fill ${flag}; the alert carries ${labels}.`,
      );
    }
    const source = filled.used.join(', ');
    if (hasControlCharacters(filled.value)) {
      return refused(
        `${name} → ${runbook.id}: label ${source} holds a control or text-direction character ("${printable(filled.value)}"), which no command line should carry.`,
      );
    }
    // Paths are left to the run: checking one here would touch the disk (a writable directory is probed).
    try {
      if (spec.kind !== 'path') spec.parse(filled.value, flag);
    } catch (error) {
      if (!isRunbookError(error)) throw error;
      return unfilled(`${name} → ${runbook.id}: from label ${source}, ${error.message}`);
    }
    used.push(...filled.used);
    words.push(shellOption(flag, filled.value));
  }
  const needed = Object.entries(runbook.params).find(
    ([param, spec]) => spec.required === true && !Object.hasOwn(params, param),
  );
  if (needed !== undefined) {
    return unfilled(
      `${name} → ${runbook.id}: the ${from} does not fill ${flagFor(needed[0])}, which ${runbook.id} needs.`,
    );
  }
  return { kind: 'command', alert, route, command: words.join(' '), used };
}
