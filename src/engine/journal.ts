// The append-only JSONL journal of every run, in the XDG state directory: written line by line
// (a killed laptop loses at most the line being written), secrets redacted before anything is written.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { RunbookError } from './errors.js';
import type { JournalEvent, JournalRecord, RunRecorder } from './journal-events.js';
import type { Redactor } from './redact.js';

/** RUNBOOK_STATE_DIR, else $XDG_STATE_HOME/runbook, else ~/.local/state/runbook. */
export function stateDirectory(env: Readonly<Record<string, string | undefined>>): string {
  if (env.RUNBOOK_STATE_DIR !== undefined && env.RUNBOOK_STATE_DIR !== '') return env.RUNBOOK_STATE_DIR;
  const xdg = env.XDG_STATE_HOME;
  return join(xdg !== undefined && xdg !== '' ? xdg : join(homedir(), '.local', 'state'), 'runbook');
}

const runsDirectory = (stateDir: string): string => join(stateDir, 'runs');

/** Where the journal of `runId` is (or would be) kept. */
export const journalPath = (stateDir: string, runId: string): string =>
  join(runsDirectory(stateDir), `${runId}.jsonl`);

const RUN_ID = /^\d{8}-\d{6}-[a-z0-9-]+-[0-9a-f]{4}$/;

export function newRunId(runbook: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${runbook}-${randomBytes(2).toString('hex')}`;
}

export class Journal implements RunRecorder {
  readonly path: string;

  constructor(
    stateDir: string,
    readonly runId: string,
    private readonly redact: Redactor,
  ) {
    const dir = runsDirectory(stateDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.path = journalPath(stateDir, runId);
  }

  record(event: JournalEvent): void {
    const line = JSON.stringify({ time: new Date().toISOString(), ...event });
    appendFileSync(this.path, `${this.redact(line)}\n`, { mode: 0o600 });
  }
}

export function readJournal(stateDir: string, runId: string): JournalRecord[] {
  if (!RUN_ID.test(runId)) {
    throw new RunbookError('usage', `"${runId}" is not a run id.`, {
      next: '`runbook history` lists the runs and their ids.',
    });
  }
  const path = journalPath(stateDir, runId);
  if (!existsSync(path)) {
    throw new RunbookError('usage', `There is no run ${runId} in ${runsDirectory(stateDir)}.`, {
      next: '`runbook history` lists the runs (RUNBOOK_STATE_DIR or XDG_STATE_HOME choose where they are kept).',
    });
  }
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalRecord];
      } catch {
        return []; // the line a killed process was writing
      }
    });
}

/** Every run id kept, newest first (at most `limit`). */
export function listRunIds(stateDir: string, limit: number): string[] {
  const dir = runsDirectory(stateDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => f.slice(0, -'.jsonl'.length))
    .filter((id) => RUN_ID.test(id))
    .sort()
    .reverse()
    .slice(0, limit);
}
