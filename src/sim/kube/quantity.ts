// Kubernetes resource quantities ("250m", "1.5", "512Mi", "8045804Ki", "1G") as numbers, for the
// scheduler's fit check and for scenarios that reason about node allocation.
import { quantity } from '../../manifests/quantity.js';

/** The quantity as a plain number (cores for cpu, bytes for memory); 0 when absent or unparsable. */
export function parseQuantity(value: unknown): number {
  return quantity(value) ?? 0;
}

export interface Resources {
  cpu: number;
  memory: number;
}

interface ContainerResources {
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/** What a pod asks the scheduler for: per resource, the sum of its containers' requests (limits when no request). */
export function podRequests(spec: unknown): Resources {
  const containers = (spec as { containers?: ContainerResources[] } | undefined)?.containers ?? [];
  const total: Resources = { cpu: 0, memory: 0 };
  for (const c of containers) {
    for (const r of ['cpu', 'memory'] as const) {
      const value = c.resources?.requests?.[r] ?? c.resources?.limits?.[r];
      total[r] += parseQuantity(value);
    }
  }
  return total;
}

/** The sum of a pod's containers' limits (Infinity for a resource any container leaves unlimited). */
export function podLimits(spec: unknown): Resources {
  const containers = (spec as { containers?: ContainerResources[] } | undefined)?.containers ?? [];
  const total: Resources = { cpu: 0, memory: 0 };
  for (const c of containers)
    for (const r of ['cpu', 'memory'] as const) {
      const value = c.resources?.limits?.[r];
      total[r] += value === undefined ? Infinity : parseQuantity(value);
    }
  return total;
}
