// Kubernetes quantities as numbers (cores, bytes) for adding up requests and limits per node.

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** The value of a quantity (cores for cpu, bytes for memory), or undefined when it is not one. */
export function quantity(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^([0-9.]+)(n|u|m|k|K|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(text).trim());
  const factor = SUFFIX[match?.[2] ?? ''];
  if (match?.[1] === undefined || factor === undefined) return undefined;
  return Number(match[1]) * factor;
}

export const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)}Gi`;
export const cores = (n: number): string => `${Math.round(n * 1000)}m`;
export const percent = (part: number, whole: number): string =>
  whole <= 0 ? '?' : `${Math.round((100 * part) / whole)}%`;
