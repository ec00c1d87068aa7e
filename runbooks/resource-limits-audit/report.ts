// The two read-only halves of resource-limits-audit: containers without requests or limits, and
// each node's requests and limits against what it can allocate.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import type { WorkloadView } from '../../src/engine/ports.js';
import { cores, gib, percent, quantity } from './quantity.js';

/** What a container lacks, worst first: a memory limit is what let site take 1.5 GB on 2021-01-12. */
export function missing(resources: WorkloadView['containers'][number]['resources']): string[] {
  const gaps: string[] = [];
  if (resources.limits?.memory === undefined) gaps.push('memory limit');
  if (resources.requests?.memory === undefined) gaps.push('memory request');
  if (resources.requests?.cpu === undefined) gaps.push('cpu request');
  return gaps;
}

export function unboundedNotes(workloads: readonly WorkloadView[]): { notes: string[]; count: number } {
  const notes: string[] = [];
  for (const w of workloads)
    for (const c of w.containers) {
      const gaps = missing(c.resources);
      if (gaps.length > 0)
        notes.push(
          `${w.ref.kind.toLowerCase()} ${w.ref.namespace}/${w.ref.name} container ${c.name}: no ${gaps.join(', no ')}`,
        );
    }
  if (notes.length === 0)
    notes.push(`all ${workloads.length} workloads have cpu and memory requests and a memory limit`);
  else
    notes.push(`${notes.length} container(s) without requests or limits: give them some with --apply <file>`);
  return { notes, count: notes.length - 1 };
}

interface Totals {
  cpuRequests: number;
  memoryRequests: number;
  memoryLimits: number;
  unlimited: number;
}

function totalsOf(pods: readonly V1Pod[]): Totals {
  const totals: Totals = { cpuRequests: 0, memoryRequests: 0, memoryLimits: 0, unlimited: 0 };
  for (const pod of pods)
    for (const c of pod.spec?.containers ?? []) {
      totals.cpuRequests += quantity(c.resources?.requests?.cpu) ?? 0;
      totals.memoryRequests += quantity(c.resources?.requests?.memory) ?? 0;
      const limit = quantity(c.resources?.limits?.memory);
      if (limit === undefined) totals.unlimited += 1;
      else totals.memoryLimits += limit;
    }
  return totals;
}

export function allocationNotes(
  nodes: readonly V1Node[],
  pods: readonly V1Pod[],
): { notes: string[]; overcommitted: string[] } {
  const notes: string[] = [];
  const overcommitted: string[] = [];
  const live = pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
  for (const node of nodes) {
    const name = node.metadata?.name ?? '?';
    const cpu = quantity(node.status?.allocatable?.cpu) ?? 0;
    const memory = quantity(node.status?.allocatable?.memory) ?? 0;
    const t = totalsOf(live.filter((p) => p.spec?.nodeName === name));
    notes.push(
      `node ${name}: cpu requests ${cores(t.cpuRequests)} of ${cores(cpu)} (${percent(t.cpuRequests, cpu)}); ` +
        `memory requests ${gib(t.memoryRequests)} of ${gib(memory)} (${percent(t.memoryRequests, memory)}), ` +
        `limits ${gib(t.memoryLimits)} (${percent(t.memoryLimits, memory)})` +
        (t.unlimited > 0 ? `, and ${t.unlimited} container(s) with no memory limit at all` : ''),
    );
    if (t.memoryRequests > memory) overcommitted.push(`${name}: memory requests exceed what it can allocate`);
    else if (t.memoryLimits > memory)
      overcommitted.push(
        `${name}: memory limits ${percent(t.memoryLimits, memory)} of allocatable (the OOM killer decides under pressure)`,
      );
    if (t.unlimited > 0) overcommitted.push(`${name}: ${t.unlimited} container(s) may take all its memory`);
  }
  notes.push(...overcommitted.map((o) => `! ${o}`));
  return { notes, overcommitted };
}
