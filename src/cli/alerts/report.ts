// What for-alert prints: one block per distinct command line (the alerts that lead to it, the runbook,
// why, the command to rehearse and to recover), then plainly the alerts no command answers.
import { EXIT_CODES } from '../../engine/exit-codes.js';
import { flagFor } from '../../engine/params.js';
import { printable } from '../errors.js';
import { type Io, println } from '../io.js';
import { type OutputFormat, printData } from '../output.js';
import type { Answer } from './answer.js';
import type { Alert, AlertGroup } from './payload.js';
import type { SourcedRoute } from './routes.js';

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

/** A storm of alerts with one answer (every crash-looping pod) names a few, then counts the rest. */
const SHOWN_PER_COMMAND = 5;

export interface Report {
  readonly resolved: readonly Alert[];
  /** One entry per distinct command line, with every alert that leads to it. */
  readonly commands: ReadonlyMap<string, Extract<Answer, { kind: 'command' }>[]>;
  readonly unanswered: readonly Exclude<Answer, { kind: 'command' }>[];
  readonly group: AlertGroup;
}

export function exitCode(report: Report): number {
  if (report.unanswered.some((a) => a.kind === 'refused')) return EXIT_CODES['invalid-parameter'];
  return report.unanswered.length > 0 ? EXIT_CODES['not-found'] : EXIT_CODES.ok;
}

export function printText(report: Report, io: Io): void {
  // A team's file, like the payload, can carry control characters: every line is shown escaped.
  const out = (line = '') => println(io.stdout, printable(line));
  const { resolved, commands, unanswered, group } = report;
  if (resolved.length > 0) {
    const names = [...new Set(resolved.map((a) => printable(a.labels.alertname ?? '')))].join(', ');
    out(`Left out ${resolved.length} resolved alert${resolved.length === 1 ? '' : 's'}: ${names}.`);
  }
  if (commands.size === 0 && unanswered.length === 0) out('Nothing is firing.');
  for (const answers of commands.values()) {
    answers.slice(0, SHOWN_PER_COMMAND).forEach((a, i) => {
      const why = i === 0 ? (a.route.why === '' ? '' : `: ${a.route.why}`) : ': the same command';
      out(`${describe(a.alert, a.used)} → ${a.route.runbook}${why}`);
    });
    const more = answers.length - SHOWN_PER_COMMAND;
    if (more > 0) out(`… and ${more} more alert${more === 1 ? '' : 's'} with the same command`);
    const command = answers[0]?.command ?? '';
    out(`  ${command} --dry-run   # rehearse`);
    out(`  ${command}             # recover`);
    out();
  }
  for (const a of unanswered) {
    out(a.kind === 'unrouted' ? `No runbook answers ${describe(a.alert)}.` : `✖ ${a.message}`);
  }
  if (unanswered.some((a) => a.kind === 'unrouted')) {
    out(
      '  → `runbook for-alert --list` shows the routes; a team routes its own names under alerts: in runbook.config.yaml (or --alerts <file>).',
    );
  }
  if (group.truncated > 0) {
    out(
      `Alertmanager left out ${group.truncated} more alert${group.truncated === 1 ? '' : 's'} of this group` +
        (group.externalURL === undefined ? '.' : `: see ${printable(group.externalURL)}.`),
    );
  }
}

/** The report as data, for -o json and yaml. */
export function reportData(report: Report): unknown {
  const labelsOf = (a: Alert) => a.labels;
  return {
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
}

export function printSummary(report: Report, io: Io): void {
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

export async function printList(
  routes: readonly SourcedRoute[],
  format: OutputFormat,
  io: Io,
): Promise<number> {
  if (format === 'json' || format === 'yaml') {
    await printData(
      io,
      format,
      routes.map((r) => ({ ...r, params: r.params ?? {} })),
    );
    return 0;
  }
  const flags = (r: SourcedRoute) =>
    Object.entries(r.params ?? {})
      .map(([name, template]) => `${flagFor(name)} ${template}`)
      .join(' ') || '-';
  const width = (pick: (r: SourcedRoute) => string) => Math.max(...routes.map((r) => pick(r).length));
  const [a, b, c] = [width((r) => r.alert), width((r) => r.runbook), width(flags)];
  for (const r of routes) {
    println(
      io.stdout,
      printable(`${r.alert.padEnd(a)}  ${r.runbook.padEnd(b)}  ${flags(r).padEnd(c)}  ${r.source}`),
    );
  }
  return 0;
}
