// --apply <file>: requests and limits for named containers, as a team writes them after the audit
// (2021-01-12: "Resource limits were also put into place on site"). One patch per workload, each
// waited for; an entry already in place plans nothing.
import { type Action, type Wait, setResources, workloadReady } from '../../src/engine/vocabulary/index.js';
import { invalidParameter, preconditionFailed } from '../../src/engine/errors.js';
import type {
  ContainerResources,
  Readers,
  ResourceAmounts,
  WorkloadKind,
  WorkloadRef,
} from '../../src/engine/ports.js';
import type { Check } from '../../src/engine/runbook.js';
import type { BarePlan } from '../../src/engine/step-facts.js';
import { quantity } from './quantity.js';
import { readYamlParam } from '../yaml-param.js';

/** The file is read in full, but no more than this many workloads are changed by one run. */
export const MAX_ENTRIES = 50;

export interface ResourceEntry {
  readonly target: WorkloadRef;
  readonly container: string | undefined;
  readonly resources: ContainerResources;
}

const KINDS: Record<string, WorkloadKind> = {
  deployment: 'Deployment',
  daemonset: 'DaemonSet',
  statefulset: 'StatefulSet',
};

function amounts(value: unknown, where: string, file: string): ResourceAmounts | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object')
    throw invalidParameter(`--apply ${file}: ${where} must map cpu and memory to quantities.`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if ((key !== 'cpu' && key !== 'memory') || quantity(String(v)) === undefined)
      throw invalidParameter(
        `--apply ${file}: ${where}.${key} "${String(v)}" is not a cpu or memory quantity (e.g. 250m, 512Mi).`,
      );
    out[key] = String(v);
  }
  return out;
}

export async function loadEntries(file: string): Promise<ResourceEntry[]> {
  const data = await readYamlParam('--apply', file);
  if (!Array.isArray(data) || data.length === 0)
    throw invalidParameter(
      `--apply ${file} must be a list of { workload: namespace/kind/name, container?, requests, limits }.`,
    );
  if (data.length > MAX_ENTRIES)
    throw invalidParameter(
      `--apply ${file} lists ${data.length} workloads; at most ${MAX_ENTRIES} per run: split the file.`,
    );
  return data.map((item: unknown, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const [namespace, kind, name] = typeof entry.workload === 'string' ? entry.workload.split('/') : [];
    const known = kind === undefined ? undefined : KINDS[kind.toLowerCase()];
    if (namespace === undefined || name === undefined || known === undefined)
      throw invalidParameter(
        `--apply ${file}: entry ${index + 1} needs workload: namespace/kind/name (kind deployment, daemonset or statefulset).`,
      );
    const requests = amounts(entry.requests, `entry ${index + 1} requests`, file);
    const limits = amounts(entry.limits, `entry ${index + 1} limits`, file);
    return {
      target: { namespace, kind: known, name },
      container: typeof entry.container === 'string' ? entry.container : undefined,
      resources: {
        ...(requests === undefined ? {} : { requests }),
        ...(limits === undefined ? {} : { limits }),
      },
    };
  });
}

/** What the container will have once the entry is merged in, as a strategic merge patch does. */
const merged = (before: ContainerResources, entry: ContainerResources): ContainerResources => ({
  requests: { ...before.requests, ...entry.requests },
  limits: { ...before.limits, ...entry.limits },
});

const same = (a: ResourceAmounts | undefined, b: ResourceAmounts | undefined): boolean =>
  quantity(a?.cpu) === quantity(b?.cpu) && quantity(a?.memory) === quantity(b?.memory);

const what = (t: WorkloadRef): string => `${t.kind.toLowerCase()} ${t.namespace}/${t.name}`;

async function resolve(read: Readers, entry: ResourceEntry) {
  const view = await read.kube.getWorkload(entry.target);
  if (view === undefined)
    throw preconditionFailed(
      `${what(entry.target)} named in --apply does not exist.`,
      'Correct the file, then run again.',
    );
  const container =
    entry.container === undefined && view.containers.length === 1
      ? view.containers[0]
      : view.containers.find((c) => c.name === entry.container);
  if (container === undefined)
    throw preconditionFailed(
      `${what(entry.target)} has no container ${entry.container ?? '(name one: it has several)'}; it has ${view.containers.map((c) => c.name).join(', ')}.`,
      'Correct the file, then run again.',
    );
  return { view, container };
}

export async function planApply(read: Readers, file: string, timeoutMs: number): Promise<BarePlan> {
  const entries = await loadEntries(file);
  const actions: Action[] = [];
  const waits: Wait[] = [];
  const notes: string[] = [];
  for (const entry of entries) {
    const { container } = await resolve(read, entry);
    const after = merged(container.resources, entry.resources);
    if (
      same(after.requests, container.resources.requests) &&
      same(after.limits, container.resources.limits)
    ) {
      notes.push(`${what(entry.target)} container ${container.name} already has these requests and limits`);
      continue;
    }
    actions.push(setResources(entry.target, container.name, container.resources, after, file));
    waits.push(workloadReady({ target: entry.target, timeoutMs }));
  }
  return { actions, waits, notes };
}

export async function checkApplied(read: Readers, file: string): Promise<Check> {
  const entries = await loadEntries(file);
  for (const entry of entries) {
    const { container } = await resolve(read, entry);
    const after = merged(container.resources, entry.resources);
    if (
      !same(after.requests, container.resources.requests) ||
      !same(after.limits, container.resources.limits)
    )
      return {
        ok: false,
        detail: `${what(entry.target)} container ${container.name} does not have the requests and limits of ${file}`,
      };
  }
  return { ok: true, detail: `${entries.length} workload(s) have the requests and limits of ${file}` };
}
