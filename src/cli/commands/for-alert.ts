// `runbook for-alert`: for the alerts that woke you (Alertmanager's webhook JSON, or one alert name and
// its labels), the runbook and the full command line to rehearse and to recover; and, plainly, which
// firing alerts no runbook answers. Exit 0 only when every firing alert has its command.
import { readFile } from 'node:fs/promises';
import { type Answer, answer } from '../alerts/answer.js';
import { type Alert, type AlertGroup, parsePayload } from '../alerts/payload.js';
import {
  type SourcedRoute,
  type TeamRoutesSource,
  noTeamRoutes,
  routeFor,
  routesFile,
  routesInForce,
} from '../alerts/routes.js';
import { invalidParameter, usageError } from '../../engine/errors.js';
import { EXIT_CODES } from '../../engine/exit-codes.js';
import { flagFor } from '../../engine/params.js';
import { printable } from '../errors.js';
import { type Io, println } from '../io.js';

export interface ForAlertOptions {
  label: string[];
  alerts?: string;
  payload?: string;
  list?: boolean;
  output: string;
}

/** Labels that say which thing an alert is about, shown beside its name when it carries them. */
const IDENTIFYING = [
  'namespace',
  'exported_namespace',
  'node',
  'exported_node',
  'pod',
  'deployment',
  'statefulset',
  'persistentvolumeclaim',
  'container',
  'instance',
];

/** Beyond this, standard input is not a webhook payload (Alertmanager's own limit is far below). */
const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

function parseLabels(labels: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    labels.map((label) => {
      const at = label.indexOf('=');
      if (at <= 0) throw invalidParameter(`--label ${printable(label)} must look like name=value.`);
      return [label.slice(0, at), label.slice(at + 1)];
    }),
  );
}

async function readStdin(io: Io): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_PAYLOAD_BYTES) {
      throw invalidParameter('Standard input is larger than 16 MiB: not an Alertmanager webhook payload.');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function readPayload(from: string, io: Io): Promise<AlertGroup> {
  if (from === '-') return parsePayload(await readStdin(io), 'Standard input');
  let text: string;
  try {
    text = await readFile(from, 'utf8');
  } catch {
    throw invalidParameter(
      `The payload file ${from} cannot be read: give a file Alertmanager's JSON was saved to.`,
    );
  }
  return parsePayload(text, `The payload file ${from}`);
}

/** The alerts to answer, from whichever input was given. */
async function alertsFrom(name: string | undefined, options: ForAlertOptions, io: Io): Promise<AlertGroup> {
  const fromPayload = options.payload ?? (name === '-' ? '-' : undefined);
  if (fromPayload !== undefined) {
    if (options.payload !== undefined && name !== undefined) {
      throw usageError('Give an alert name or --payload, not both.');
    }
    if (options.label.length > 0) {
      throw usageError('--label goes with an alert name: a payload carries its own labels.');
    }
    return readPayload(fromPayload, io);
  }
  if (name !== undefined) {
    const labels = { ...parseLabels(options.label), alertname: name };
    return { alerts: [{ status: 'firing', labels }], truncated: 0, externalURL: undefined };
  }
  const nothing = usageError(
    'Give an alert name, --payload <file>, or Alertmanager’s webhook JSON on standard input.',
    'e.g. `runbook for-alert KubeNodeNotReady --label node=<name>`, or `runbook for-alert --payload alert.json`.',
  );
  if (options.label.length > 0 || io.stdin.isTTY === true) throw nothing;
  const text = await readStdin(io);
  if (text.trim() === '') throw nothing;
  return parsePayload(text, 'Standard input');
}

const showValue = (value: string): string =>
  /^[A-Za-z0-9._/:=@-]+$/.test(value) ? value : JSON.stringify(value);

/** `KubeNodeNotReady node=lke1-a`: the name and the labels that say what it is about. */
function describe(alert: Alert, used: readonly string[] = []): string {
  const names = [...used, ...IDENTIFYING].filter(
    (n, i, all) => all.indexOf(n) === i && Object.hasOwn(alert.labels, n),
  );
  return printable(
    [alert.labels.alertname ?? '', ...names.map((n) => `${n}=${showValue(alert.labels[n] ?? '')}`)].join(' '),
  );
}

interface Report {
  readonly resolved: readonly Alert[];
  /** One entry per distinct command line, with every alert that leads to it. */
  readonly commands: ReadonlyMap<string, Extract<Answer, { kind: 'command' }>[]>;
  readonly unanswered: readonly Exclude<Answer, { kind: 'command' }>[];
  readonly group: AlertGroup;
}

function exitCode(report: Report): number {
  if (report.unanswered.some((a) => a.kind === 'refused')) return EXIT_CODES['invalid-parameter'];
  return report.unanswered.length > 0 ? EXIT_CODES['not-found'] : EXIT_CODES.ok;
}

function printText(report: Report, io: Io): void {
  const out = (line = '') => println(io.stdout, line);
  const { resolved, commands, unanswered, group } = report;
  if (resolved.length > 0) {
    const names = [...new Set(resolved.map((a) => printable(a.labels.alertname ?? '')))].join(', ');
    out(`Left out ${resolved.length} resolved alert${resolved.length === 1 ? '' : 's'}: ${names}.`);
  }
  if (commands.size === 0 && unanswered.length === 0) out('Nothing is firing.');
  for (const answers of commands.values()) {
    answers.forEach((a, i) => {
      const why = i === 0 ? (a.route.why === '' ? '' : `: ${a.route.why}`) : ': the same command';
      out(`${describe(a.alert, a.used)} → ${a.route.runbook}${why}`);
    });
    const command = answers[0]?.command ?? '';
    out(`  ${command} --dry-run   # rehearse`);
    out(`  ${command}             # recover`);
    out();
  }
  for (const a of unanswered) {
    out(a.kind === 'unrouted' ? `No runbook answers ${describe(a.alert)}.` : `✖ ${a.message}`);
  }
  if (unanswered.some((a) => a.kind === 'unrouted')) {
    out('  → `runbook for-alert --list` shows the routes; a team routes its own names with --alerts <file>.');
  }
  if (group.truncated > 0) {
    out(
      `Alertmanager left out ${group.truncated} more alert${group.truncated === 1 ? '' : 's'} of this group` +
        (group.externalURL === undefined ? '.' : `: see ${printable(group.externalURL)}.`),
    );
  }
}

function printJson(report: Report, io: Io): void {
  const labelsOf = (a: Alert) => a.labels;
  const json = {
    resolved: report.resolved.map(labelsOf),
    commands: [...report.commands.values()].map((answers) => ({
      runbook: answers[0]?.route.runbook,
      why: answers[0]?.route.why,
      source: answers[0]?.route.source,
      command: answers[0]?.command,
      alerts: answers.map((a) => labelsOf(a.alert)),
    })),
    unanswered: report.unanswered.map((a) => ({
      labels: labelsOf(a.alert),
      problem: a.kind === 'unrouted' ? 'no runbook answers it' : a.message,
    })),
    truncatedAlerts: report.group.truncated,
  };
  println(io.stdout, JSON.stringify(json, null, 2));
}

function printSummary(report: Report, io: Io): void {
  const count = (kind: Answer['kind']) => report.unanswered.filter((a) => a.kind === kind).length;
  const missing = report.unanswered.length;
  const firing = missing + [...report.commands.values()].flat().length;
  const parts = [
    [count('unrouted'), 'with no runbook'],
    [count('unfilled'), 'whose labels cannot fill it'],
    [count('refused'), 'refused'],
  ]
    .filter(([n]) => n !== 0)
    .map(([n, what]) => `${String(n)} ${String(what)}`);
  println(
    io.stderr,
    `✖ ${missing} of ${firing} firing alert${firing === 1 ? '' : 's'} ${missing === 1 ? 'has' : 'have'} no command: ${parts.join(', ')}.`,
  );
}

function printList(routes: readonly SourcedRoute[], options: ForAlertOptions, io: Io): number {
  if (options.output === 'json') {
    const json = routes.map((r) => ({ ...r, params: r.params ?? {} }));
    println(io.stdout, JSON.stringify(json, null, 2));
    return 0;
  }
  const flags = (r: SourcedRoute) =>
    Object.entries(r.params ?? {})
      .map(([name, template]) => `${flagFor(name)} ${template}`)
      .join(' ') || '-';
  const width = (pick: (r: SourcedRoute) => string) => Math.max(...routes.map((r) => pick(r).length));
  const [a, b, c] = [width((r) => r.alert), width((r) => r.runbook), width(flags)];
  for (const r of routes) {
    println(io.stdout, `${r.alert.padEnd(a)}  ${r.runbook.padEnd(b)}  ${flags(r).padEnd(c)}  ${r.source}`);
  }
  return 0;
}

export async function forAlertCommand(
  name: string | undefined,
  options: ForAlertOptions,
  io: Io,
  teamRoutes: TeamRoutesSource = noTeamRoutes,
): Promise<number> {
  if (options.output !== 'text' && options.output !== 'json') {
    throw invalidParameter(`--output ${printable(options.output)} must be text or json.`);
  }
  const file = options.alerts ?? io.env.RUNBOOK_ALERTS_FILE;
  const routes = routesInForce([
    file === undefined || file === '' ? undefined : routesFile(file),
    await teamRoutes(io),
  ]);
  if (options.list === true) {
    if (name !== undefined || options.payload !== undefined || options.label.length > 0) {
      throw usageError('--list shows every route: give it alone.');
    }
    return printList(routes, options, io);
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
  if (options.output === 'json') printJson(report, io);
  else printText(report, io);
  const code = exitCode(report);
  if (code !== 0) printSummary(report, io);
  return code;
}
