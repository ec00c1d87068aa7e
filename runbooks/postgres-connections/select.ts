// Which backends the operator's flags choose for termination, in words they can check.
import type { Backend } from '../../src/engine/ports.js';
import { age } from './report.js';

export interface Selection {
  readonly application: string;
  readonly state: 'idle' | 'idle-in-transaction' | 'any';
  readonly olderThanMinutes: number;
}

const STATES: Record<Selection['state'], (state: string) => boolean> = {
  idle: (s) => s === 'idle',
  'idle-in-transaction': (s) => s.startsWith('idle in transaction'),
  any: () => true,
};

export function describeSelection(s: Selection): string {
  const state = s.state === 'any' ? 'connections' : `${s.state.replace(/-/g, ' ')} connections`;
  const since = s.olderThanMinutes === 0 ? '' : ` in that state for ${age(s.olderThanMinutes * 60)} or more`;
  return `${state} of ${s.application}${since}`;
}

export function selectBackends(backends: readonly Backend[], s: Selection): Backend[] {
  return backends.filter(
    (b) =>
      b.application === s.application &&
      STATES[s.state](b.state) &&
      b.stateSeconds >= s.olderThanMinutes * 60,
  );
}

const LISTED = 20;

/** What would end, one backend a line, without its query (which can carry anything). */
export function chosenNotes(chosen: readonly Backend[]): string[] {
  const lines = chosen
    .slice(0, LISTED)
    .map(
      (b) =>
        `pid ${b.pid} ${b.application} (user ${b.user || '?'}) @ ${b.client}: ${b.state} for ${age(b.stateSeconds)}, connected ${age(b.connectedSeconds)}`,
    );
  if (chosen.length > LISTED) lines.push(`… and ${chosen.length - LISTED} more`);
  return lines;
}
