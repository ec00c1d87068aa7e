// `runbook for-alert`: for the alerts that woke you (Alertmanager's webhook JSON, or one alert name and
// its labels), the runbook and the full command line to rehearse and to recover; and, plainly, which
// firing alerts no runbook answers. Exit 0 only when every firing alert has its command.
import { type Answer, answer } from '../alerts/answer.js';
import { alertsFrom } from '../alerts/input.js';
import { type Report, exitCode, printList, printSummary, printText, reportData } from '../alerts/report.js';
import {
  type TeamRoutesSource,
  configRoutes,
  routeFor,
  routesFile,
  routesInForce,
} from '../alerts/routes.js';
import { usageError } from '../../engine/errors.js';
import { parseOutput, printAs } from '../output.js';
import type { Io } from '../io.js';

export interface ForAlertOptions {
  label: string[];
  alerts?: string;
  payload?: string;
  list?: boolean;
  output?: string;
}

export async function forAlertCommand(
  name: string | undefined,
  options: ForAlertOptions,
  io: Io,
  teamRoutes: TeamRoutesSource = configRoutes,
): Promise<number> {
  const format = parseOutput(options.output);
  const file = options.alerts ?? io.env.RUNBOOK_ALERTS_FILE;
  const routes = routesInForce([
    file === undefined || file === '' ? undefined : routesFile(file),
    await teamRoutes(io),
  ]);
  if (options.list === true) {
    if (name !== undefined || options.payload !== undefined || options.label.length > 0) {
      throw usageError('--list shows every route: give it alone.');
    }
    return printList(routes, format, io);
  }
  const group = await alertsFrom(name, options, io);
  const commands = new Map<string, Extract<Answer, { kind: 'command' }>[]>();
  const unanswered: Exclude<Answer, { kind: 'command' }>[] = [];
  for (const alert of group.alerts.filter((a) => a.status === 'firing')) {
    const result = answer(alert, routeFor(routes, alert.labels.alertname ?? ''));
    if (result.kind === 'command')
      commands.set(result.command, [...(commands.get(result.command) ?? []), result]);
    else unanswered.push(result);
  }
  const resolved = group.alerts.filter((a) => a.status === 'resolved');
  const report: Report = { resolved, commands, unanswered, group };
  await printAs(
    io,
    format,
    () => reportData(report),
    () => printText(report, io),
  );
  const code = exitCode(report);
  if (code !== 0) printSummary(report, io);
  return code;
}
