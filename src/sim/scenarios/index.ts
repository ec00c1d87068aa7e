// Every scenario `--sim` and `runbook sim start` can load, by name.
import type { Scenario } from '../scenario.js';
import { healthy } from './healthy.js';
import { postgresConnSurge } from './postgres-conn-surge.js';

export const SCENARIOS: readonly Scenario[] = [healthy, postgresConnSurge];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
