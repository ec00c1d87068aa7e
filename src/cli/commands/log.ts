// `runbook log <run-id>`: one run's journal as a timeline, as raw JSON, as reStructuredText in
// the template of the team's postmortems (the Recovery section written from the run), or as a
// self-contained HTML page (src/report/run-html.ts).
import { readJournal, stateDirectory } from '../../engine/journal.js';
import type { JournalRecord } from '../../engine/journal-events.js';
import { summarizeRun } from '../../engine/run-summary.js';
import { findAnyRunbook } from '../team/registry.js';
import { type Io, println } from '../io.js';
import { htmlOutput } from '../output-html.js';
import { type OutputFormat, parseOutput, printData } from '../output.js';

export const LOG_FORMATS: readonly OutputFormat[] = ['text', 'json', 'yaml', 'rst', 'html'];

const clock = (time: string): string => time.slice(11, 19);

/** One line per event worth reading later; undefined for bookkeeping. */
function describeRecord(r: JournalRecord): string | undefined {
  switch (r.type) {
    case 'start':
      return `${r.operator}@${r.host} started ${r.runbook}${r.dryRun ? ' (dry run)' : ''} on ${r.cluster.context} (${r.cluster.server})`;
    case 'resume':
      return `${r.operator}@${r.host} resumed the run`;
    case 'plan':
      return r.actions.length === 0
        ? undefined
        : `planned ${r.title}: ${r.actions.map((a) => a.title).join('; ')}`;
    case 'replan':
      return `did not ${r.title}: ${r.reason} Planned the step again`;
    case 'answer':
      return r.answer === 'yes' ? undefined : `the operator answered ${r.answer} at step ${r.step}`;
    case 'manual':
      return r.outcome === 'confirmed'
        ? `${r.operator} confirmed done by hand: ${r.title}`
        : `left out (--yes, skippable): by hand: ${r.title}`;
    case 'action':
      if (r.status === 'started') return undefined;
      if (r.status === 'not-carried-out') return `checked, not carried out (not previewable): ${r.title}`;
      return r.status === 'done' ? `${r.title} (${r.equivalent})` : `failed to ${r.title}: ${r.error ?? ''}`;
    case 'wait':
      return `after ${Math.round(r.ms / 1000)}s: ${r.detail}`;
    case 'waiting':
      return `still waiting after ${Math.round(r.ms / 1000)}s: ${r.why}`;
    case 'verify':
      return `${r.ok ? 'checked' : 'check failed'}: ${r.detail}`;
    case 'step':
      return undefined;
    case 'end':
      return r.status === 'finished' ? 'run finished' : `run stopped (${r.status}): ${r.message ?? ''}`;
  }
}

function rst(records: readonly JournalRecord[]): string {
  const summary = summarizeRun(records);
  if (summary === undefined) return '';
  const { start, end } = summary;
  const runbook = findAnyRunbook(start.runbook);
  const day = start.time.slice(0, 10);
  const title = `${day}: ${runbook?.title ?? start.runbook}`;
  const heading = (text: string, char = '-'): string[] => [text, char.repeat(text.length + 4), ''];
  const prompt = (text: string): string[] => [`*${text}*`, '', '*To be written by the team.*', ''];
  const timeline = records.flatMap((r) => {
    const line = describeRecord(r);
    return line === undefined ? [] : [`- **${clock(r.time)} UTC:** ${line.replace(/`/g, '``')}`];
  });
  const finishedAt = end === undefined ? 'not finished' : `${clock(end.time)} UTC`;
  return [
    ...heading(title, '='),
    `Recovered with \`\`runbook ${start.runbook}\`\` (run \`\`${start.runId}\`\`) by ${start.operator} on ${start.cluster.context}.`,
    '',
    ...heading('⚠️ Leadup'),
    ...prompt('List the sequence of events that led to the incident'),
    ...heading('🥏 Impact'),
    ...prompt('Describe how internal and external users were impacted during the incident'),
    ...heading('👁️ Detection'),
    ...prompt('Report when the team detected the incident, and how we could improve detection time'),
    ...heading('🙋🏿‍♂️ Response'),
    ...prompt('Who responded to the incident, and what obstacles did they encounter?'),
    ...heading('🙆🏽‍♀️ Recovery'),
    '*How was the incident resolved? How can we improve future mitigation?*',
    '',
    `The runbook \`\`${start.runbook}\`\` ran from ${clock(start.time)} UTC to ${finishedAt}` +
      `${end === undefined || end.status === 'finished' ? '' : `, and stopped: ${end.status}`}; ${summary.actionsDone === 1 ? '1 change was' : `${String(summary.actionsDone)} changes were`} made:`,
    '',
    ...timeline,
    '',
    ...heading('🔎 Five Why’s'),
    ...prompt('Run a 5-whys analysis to understand the true cause of the incident.'),
    ...heading('🌱 Blameless root cause'),
    ...prompt('Note the final root cause and describe what needs to change to prevent reoccurrance'),
    ...heading('🤔 Lessons learned'),
    ...prompt('What did we learn from this incident?'),
    ...heading('☑️ Follow-up tasks'),
    ...prompt('List any tasks we should complete that are relevant to this incident'),
  ].join('\n');
}

export interface LogOptions {
  readonly output?: string;
  /** The older name of --output, kept so scripts written for it still work. */
  readonly format?: string;
}

export async function logCommand(runId: string, options: LogOptions, io: Io): Promise<number> {
  const format = parseOutput(
    options.output ?? options.format,
    LOG_FORMATS,
    options.output === undefined && options.format !== undefined ? '--format' : '--output',
  );
  const records = readJournal(stateDirectory(io.env), runId);
  switch (format) {
    case 'json':
    case 'yaml':
      await printData(io, format, records);
      break;
    case 'rst':
      println(io.stdout, rst(records));
      break;
    case 'html':
      await htmlOutput({ kind: 'log', runId, records }, io);
      break;
    case 'text':
      for (const record of records) {
        const line = describeRecord(record);
        if (line !== undefined) println(io.stdout, `${clock(record.time)}  ${line}`);
      }
      break;
  }
  return 0;
}
