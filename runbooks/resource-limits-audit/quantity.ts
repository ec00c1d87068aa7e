// Kubernetes quantities for adding up requests and limits per node, and how the report prints them.

export { quantity } from '../../src/manifests/quantity.js';

export const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(1)}Gi`;
export const cores = (n: number): string => `${Math.round(n * 1000)}m`;
export const percent = (part: number, whole: number): string =>
  whole <= 0 ? '?' : `${Math.round((100 * part) / whole)}%`;
