// The `recovered:` list of a team's faults file: the checks scenarios are made of (recovery.ts), named
// in YAML, so a team says what "recovered" means for its own rehearsal without writing TypeScript.
import * as check from './recovery.js';
import type { Check } from './recovery.js';

/** Conditions that take nothing. */
const PLAIN: Readonly<Record<string, Check>> = {
  nodesReady: check.nodesReady,
  statefulPodsMounted: check.statefulPodsMounted,
  nodeBalancersUp: check.nodeBalancersUp,
  noMemoryPressure: check.noMemoryPressure,
  podsHealthy: check.podsHealthy(),
  workloadsReady: check.workloadsReady(),
};

/** Conditions that take a list of namespaces (podsHealthy and workloadsReady also stand alone). */
const IN_NAMESPACES: Readonly<Record<string, (namespaces: readonly string[]) => Check>> = {
  podsHealthy: check.podsHealthy,
  workloadsReady: check.workloadsReady,
  noCrashLoops: check.noCrashLoops,
  resourcesBounded: check.resourcesBounded,
};

/** One line per condition, for the messages that list them. */
export const RECOVERED_CONDITIONS = [
  ...Object.keys(PLAIN),
  ...Object.keys(IN_NAMESPACES).map((name) => `${name}: [namespace, …]`),
  'workloadReady: Deployment namespace/name',
  'volumeRemounted: namespace/claim',
];

const NAME = '[a-z0-9]([-a-z0-9.]*[a-z0-9])?';
const WORKLOAD = new RegExp(`^(Deployment|StatefulSet) (${NAME})/(${NAME})$`);
const CLAIM = new RegExp(`^(${NAME})/(${NAME})$`);

const known = `known: ${RECOVERED_CONDITIONS.join('; ')}`;

function namespacesOf(value: unknown, name: string): readonly string[] | string {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((n) => typeof n === 'string' && n !== ''))
    return `${name} takes a list of namespaces, like ${name}: [default]`;
  return list as string[];
}

/** One condition: a bare name, or a map of one name to its argument. */
function conditionOf(entry: unknown): Check | string {
  if (typeof entry === 'string') {
    return PLAIN[entry] ?? `"${entry}" is not a condition (${known})`;
  }
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    return `a condition is a name or "name: argument" (${known})`;
  const pairs = Object.entries(entry as Record<string, unknown>);
  const [pair] = pairs;
  if (pair === undefined || pairs.length !== 1)
    return `a condition is one name and its argument, one per line (${known})`;
  const [name, value] = pair;
  const inNamespaces = IN_NAMESPACES[name];
  if (inNamespaces !== undefined) {
    const namespaces = namespacesOf(value, name);
    return typeof namespaces === 'string' ? namespaces : inNamespaces(namespaces);
  }
  if (name === 'workloadReady') {
    const m = typeof value === 'string' ? WORKLOAD.exec(value) : null;
    if (m?.[1] === undefined || m[2] === undefined || m[4] === undefined)
      return 'workloadReady takes "Deployment namespace/name" or "StatefulSet namespace/name"';
    return check.workloadReady(m[1] as 'Deployment' | 'StatefulSet', m[2], m[4]);
  }
  if (name === 'volumeRemounted') {
    const m = typeof value === 'string' ? CLAIM.exec(value) : null;
    if (m?.[1] === undefined || m[3] === undefined)
      return 'volumeRemounted takes "namespace/claim", the PersistentVolumeClaim whose volume must be remounted';
    return check.volumeRemounted(m[1], m[3]);
  }
  return `"${name}" is not a condition (${known})`;
}

/** Every condition of the list as one check, or what is wrong with the first one that is not a condition. */
export function recoveredFrom(list: unknown): { ok: true; check: Check } | { ok: false; error: string } {
  if (!Array.isArray(list) || list.length === 0)
    return { ok: false, error: `recovered must be a list of conditions (${known})` };
  const checks: Check[] = [];
  for (const [index, entry] of list.entries()) {
    const condition = conditionOf(entry);
    if (typeof condition === 'string') return { ok: false, error: `recovered[${index}]: ${condition}` };
    checks.push(condition);
  }
  return { ok: true, check: check.all(...checks) };
}
