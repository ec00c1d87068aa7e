// Every scenario `--sim` and `runbook sim start` can load, by name: one per postmortem, plus healthy.
import type { Scenario } from '../scenario.js';
import { allServicesOutage } from './all-services-outage.js';
import { cascadingNodeFailures } from './cascading-node-failures.js';
import { healthy } from './healthy.js';
import { nodeBalancerFailsMemory } from './nodebalancer-fails-memory.js';
import { postgresConnSurge } from './postgres-conn-surge.js';
import { primaryNodeOutage } from './primary-node-outage.js';
import { redisOutOfMemory } from './redis-out-of-memory.js';
import { siteCpuRamExhaustion } from './site-cpu-ram-exhaustion.js';

export const SCENARIOS: readonly Scenario[] = [
  healthy,
  allServicesOutage,
  postgresConnSurge,
  primaryNodeOutage,
  siteCpuRamExhaustion,
  nodeBalancerFailsMemory,
  cascadingNodeFailures,
  redisOutOfMemory,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
