// What every server-side table shares: column definitions and the formatting helpers of
// k8s.io/kubernetes pkg/printers/internalversion (ages, label maps, container lists).
import type { KubeObject } from '../world.js';

export interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
}

export interface TableSpec {
  columns: Column[];
  /** One cell per column, wide columns included: the server always prints wide (GenerateOptions.Wide). */
  row: (object: KubeObject, nowMs: number) => unknown[];
}

export const col = (name: string, type = 'string', priority = 0, format?: string): Column => {
  const c: Column = { name, type, description: name, priority };
  if (format !== undefined) c.format = format;
  return c;
};

export const nameCol = (): Column => col('Name', 'string', 0, 'name');

/** apimachinery's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (hours < 24 * 365 * 8) {
    const days = Math.floor(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${years}y`;
}

/** translateTimestampSince: the age of a timestamp, `<unknown>` when there is none. */
export function age(fromIso: unknown, nowMs: number): string {
  if (typeof fromIso !== 'string' || fromIso === '') return '<unknown>';
  return humanDuration(nowMs - Date.parse(fromIso));
}

/** labels.FormatLabels: `a=b,c=d`, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

interface Container {
  name?: string;
  image?: string;
}

/** The CONTAINERS and IMAGES cells of a pod template. */
export function containerCells(template: unknown): [string, string] {
  const containers =
    (template as { spec?: { containers?: Container[] } } | undefined)?.spec?.containers ?? [];
  return [containers.map((c) => c.name ?? '').join(','), containers.map((c) => c.image ?? '').join(',')];
}

export const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
export const str = (value: unknown, empty = '<none>'): string =>
  typeof value === 'string' && value !== '' ? value : empty;
