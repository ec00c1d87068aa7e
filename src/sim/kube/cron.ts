// The 5-field cron schedule a CronJob names (robfig/cron's standard parser, as kube-controller-manager
// uses it): parsed once, asked for the next run after a simulated instant. Times are UTC.

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRange {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** First value of `names` (months count from 1). */
  namesFrom?: number;
}

const FIELDS: FieldRange[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: a day matches when either does (cron's rule). */
  dayOr: boolean;
}

export class CronError extends Error {}

function value(text: string, range: FieldRange): number {
  const index = range.names?.indexOf(text.toLowerCase()) ?? -1;
  const n = index >= 0 ? index + (range.namesFrom ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < range.min || n > range.max)
    throw new CronError(`${range.name} "${text}" is not between ${range.min} and ${range.max}`);
  return n;
}

function parseField(text: string, range: FieldRange): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [base = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new CronError(`${range.name} step "${stepText}" is not a positive number`);
    let from: number;
    let to: number;
    if (base === '*' || base === '?') {
      [from, to] = [range.min, range.max];
      if (stepText === undefined) star = true;
    } else if (base.includes('-')) {
      const [a = '', b = ''] = base.split('-');
      [from, to] = [value(a, range), value(b, range)];
      if (from > to) throw new CronError(`${range.name} range "${base}" runs backwards`);
    } else {
      from = value(base, range);
      to = stepText === undefined ? from : range.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values, star };
}

/** Parses `*\/5 * * * *`, `30 2 * * 1-5`, `@hourly` and the like; throws CronError with the reason. */
export function parseCron(schedule: string): CronSchedule {
  const trimmed = schedule.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) throw new CronError(`unrecognized descriptor: ${trimmed}`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected exactly 5 fields, found ${parts.length}: ${trimmed}`);
  const [minute, hour, day, month, weekday] = parts.map((p, i) => parseField(p, FIELDS[i] as FieldRange));
  if (!minute || !hour || !day || !month || !weekday) throw new CronError('unreachable');
  if (weekday.values.delete(7)) weekday.values.add(0);
  return {
    minutes: minute.values,
    hours: hour.values,
    days: day.values,
    months: month.values,
    weekdays: weekday.values,
    dayOr: !day.star && !weekday.star,
  };
}

function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.days.has(d.getUTCDate());
  const dow = s.weekdays.has(d.getUTCDay());
  return s.dayOr ? dom || dow : dom && dow;
}

/** The first run strictly after `afterMs`, or undefined when none falls within five years. */
export function nextRun(s: CronSchedule, afterMs: number): number | undefined {
  const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  const limit = afterMs + 5 * 366 * 24 * 3_600_000;
  while (d.getTime() <= limit) {
    if (!s.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(s, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!s.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else return d.getTime();
  }
  return undefined;
}
