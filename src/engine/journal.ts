// The append-only JSONL journal of every run, in the XDG state directory: written line by line
// (a killed laptop loses at most the line being written), secrets redacted before anything is written.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
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

/** Room for a few journals of a long run; below it the next line could be the one that fails. */
export const JOURNAL_ROOM_BYTES = 1024 * 1024;

const reasonOf = (error: unknown): string =>
  (error as NodeJS.ErrnoException | null)?.code ?? (error instanceof Error ? error.message : String(error));

/** The journal cannot be kept: before the first change (nothing done), or in the middle of a run. */
export function journalUnwritable(dir: string, why: string, midRun: boolean): RunbookError {
  return new RunbookError(
    'journal-failed',
    midRun
      ? `The journal in ${dir} could not be written (${why}): the run stopped before its next change.`
      : `Cannot keep a journal in ${dir} (${why}): nothing was changed.`,
    {
      next: midRun
        ? 'Free space in it (or make it writable) before you resume.'
        : 'Free space in it or make it writable, or point RUNBOOK_STATE_DIR at a directory that is.',
    },
  );
}

/** mkdir -p says ENOENT on a read-only file system; one level at a time tells the real reason. */
function whyNotMade(dir: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
  try {
    mkdirSync(dir);
    return error;
  } catch (real) {
    return real;
  }
}

export class Journal implements RunRecorder {
  readonly path: string;
  private readonly dir: string;
  private failure: RunbookError | undefined;

  /**
   * Opens the journal of `runId`, proving first that it can be kept: the directory exists (or is
   * made), a file can be written in it, and it has room. Throws before the run changes anything.
   */
  constructor(
    stateDir: string,
    readonly runId: string,
    private readonly redact: Redactor,
    private readonly onFailure: (error: RunbookError) => void = () => undefined,
  ) {
    const dir = runsDirectory(stateDir);
    this.dir = dir;
    this.path = journalPath(stateDir, runId);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const probe = join(dir, `.probe-${process.pid}`);
      writeFileSync(probe, 'x');
      rmSync(probe);
    } catch (error) {
      throw journalUnwritable(dir, reasonOf(whyNotMade(dir, error)), false);
    }
    const { bavail, bsize } = statfsSync(dir);
    if (bavail * bsize < JOURNAL_ROOM_BYTES) {
      throw journalUnwritable(dir, `only ${bavail * bsize} bytes free`, false);
    }
  }

  /** Set once a line could not be written; the lines after it are not attempted. */
  get failed(): RunbookError | undefined {
    return this.failure;
  }

  /**
   * Never throws: a line that cannot be written is told once through onFailure, so the run stops at
   * its next action boundary with what it changed, instead of crashing in the middle of a step.
   */
  record(event: JournalEvent): void {
    if (this.failure !== undefined) return;
    const line = JSON.stringify({ time: new Date().toISOString(), ...event });
    try {
      appendFileSync(this.path, `${this.redact(line)}\n`, { mode: 0o600 });
    } catch (error) {
      this.failure = journalUnwritable(this.dir, reasonOf(error), true);
      this.onFailure(this.failure);
    }
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
