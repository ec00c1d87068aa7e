// A scenario name that is not there, refused with the nearest names (kept apart from did-you-mean.ts,
// which every command loads: the scenarios are only read when one was named).
import { type RunbookError, usageError } from '../engine/errors.js';
import { SCENARIOS } from '../sim/scenarios/index.js';
import { didYouMean } from './did-you-mean.js';

/** The sentence for a scenario name that is not there, with the nearest names. */
export function noSuchScenario(name: string): RunbookError {
  const hint = didYouMean(
    name,
    SCENARIOS.map((s) => s.name),
  ).trim();
  return usageError(
    `There is no scenario called "${name}".`,
    `${hint} \`runbook sim list\` shows them.`.trim(),
  );
}
