// Who rehearsed which scenario, when, and how fast: one JSON line per training, in the state directory.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TrainingRecord {
  readonly trainee: string;
  readonly scenario: string;
  readonly started: string;
  readonly recovered: boolean;
  /** Simulated minutes from the page to recovery (or to giving up). */
  readonly minutes: number;
  readonly changes: number;
  readonly runbooks: readonly string[];
}

const file = (stateDir: string): string => join(stateDir, 'training.jsonl');

export function saveTraining(stateDir: string, record: TrainingRecord): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  appendFileSync(file(stateDir), `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

export function readTrainings(stateDir: string): TrainingRecord[] {
  if (!existsSync(file(stateDir))) return [];
  return readFileSync(file(stateDir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as TrainingRecord];
      } catch {
        return [];
      }
    });
}

/** The scenario to train next: one never rehearsed, else the one rehearsed longest ago. */
export function nextScenario(names: readonly string[], done: readonly TrainingRecord[]): string | undefined {
  const last = new Map<string, string>();
  for (const r of done) if ((last.get(r.scenario) ?? '') < r.started) last.set(r.scenario, r.started);
  return [...names].sort((a, b) => (last.get(a) ?? '').localeCompare(last.get(b) ?? ''))[0];
}
