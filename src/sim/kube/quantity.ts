// Kubernetes resource quantities ("250m", "1.5", "512Mi", "8045804Ki", "1G") as numbers, for the
// scheduler's fit check and for scenarios that reason about node allocation.

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The quantity as a plain number (cores for cpu, bytes for memory); 0 when absent or unparsable. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return 0;
  const m = /^([+-]?\d+(?:\.\d+)?)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(value.trim());
  if (m?.[1] === undefined) return 0;
  const base = Number(m[1]) * (m[2] === undefined ? 1 : 10 ** Number(m[2]));
  const suffix = m[3] ?? '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  return factor === undefined ? 0 : base * factor;
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
