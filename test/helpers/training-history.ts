// One training session as `runbook train` records it, for the tests of the history pages: a trainee's
// night on a scenario, in November 2026, with how long it took and whether it ended recovered.
import type { TrainingRecord } from '../../src/training/progress.js';

export function trainingSession(
  trainee: string,
  scenario: string,
  day: number,
  minutes: number,
  recovered = true,
): TrainingRecord {
  return {
    trainee,
    scenario,
    started: new Date(Date.UTC(2026, 10, day, 9)).toISOString(),
    recovered,
    minutes,
    changes: 4,
    runbooks: recovered ? ['node-recycle'] : [],
  };
}
