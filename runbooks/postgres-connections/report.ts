// The triage screen of postgres-connections, as note lines: what an on-call volunteer reads first
// (how full the server is and who fills it), then open transactions, locks and vacuums.
import type { Backend, ConnectionReport, LockReport, VacuumActivity } from '../../src/engine/ports.js';

/** 75 s → "1m15s": ages as people say them. */
export function age(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const who = (b: Backend): string => `pid ${b.pid} ${b.application || '(no application_name)'} @ ${b.client}`;

const LONG_TRANSACTION_S = 5 * 60;
const SHOWN = 10;

export function connectionNotes(report: ConnectionReport): string[] {
  const usable = report.maxConnections - report.superuserReserved;
  const percent = usable > 0 ? Math.round((report.total / usable) * 100) : 0;
  const notes = [
    `${report.total} client connections of max_connections ${report.maxConnections} (${report.superuserReserved} reserved for superusers): ${percent}% of what applications may use`,
  ];
  if (report.total >= usable) {
    notes.push(
      'FULL: ordinary roles now get "sorry, too many clients already"; only superusers can connect.',
    );
  } else if (percent >= 90) {
    notes.push('Nearly full: the 2020-12-11 outage began like this.');
  }
  for (const g of report.groups.slice(0, SHOWN)) {
    notes.push(
      `  ${String(g.count).padStart(4)}  ${g.application || '(no application_name)'} @ ${g.client}, ${g.state}`,
    );
  }
  if (report.groups.length > SHOWN) notes.push(`  … and ${report.groups.length - SHOWN} smaller groups`);

  const idleInTx = report.backends.filter((b) => b.state.startsWith('idle in transaction'));
  if (idleInTx.length > 0) {
    notes.push(`${idleInTx.length} idle in transaction (they hold locks and block vacuum):`);
    for (const b of [...idleInTx].sort((a, b) => b.stateSeconds - a.stateSeconds).slice(0, SHOWN)) {
      notes.push(
        `  ${who(b)}: idle for ${age(b.stateSeconds)}, transaction open ${age(b.transactionSeconds ?? 0)}`,
      );
    }
  }
  const long = report.backends.filter((b) => (b.transactionSeconds ?? 0) >= LONG_TRANSACTION_S);
  if (long.length > 0) {
    notes.push(`${long.length} transactions open for more than ${age(LONG_TRANSACTION_S)}:`);
    for (const b of [...long]
      .sort((a, b) => (b.transactionSeconds ?? 0) - (a.transactionSeconds ?? 0))
      .slice(0, SHOWN)) {
      notes.push(`  ${who(b)}: ${age(b.transactionSeconds ?? 0)}, ${b.state}: ${b.query}`);
    }
  }
  return notes;
}

export function lockNotes(report: LockReport): string[] {
  if (report.counts.length === 0) return ['no locks held by other sessions'];
  const total = report.counts.reduce((n, c) => n + c.granted + c.waiting, 0);
  const waiting = report.counts.reduce((n, c) => n + c.waiting, 0);
  const notes = [`${total} locks held or awaited, ${waiting} waiting:`];
  for (const c of report.counts.slice(0, SHOWN)) {
    notes.push(
      `  ${String(c.granted).padStart(4)} granted ${String(c.waiting).padStart(3)} waiting  ${c.mode} on ${c.relation}`,
    );
  }
  for (const { blocked, blockedBy } of report.blocking.slice(0, SHOWN)) {
    notes.push(
      `  ${who(blocked)} waits ${age(blocked.stateSeconds)} for ${blockedBy.map(who).join(', ') || 'a session it cannot see'}`,
    );
  }
  return notes;
}

export function vacuumNotes(vacuums: readonly VacuumActivity[]): string[] {
  if (vacuums.length === 0) return ['no vacuum or autovacuum running'];
  return vacuums.map((v) => {
    const progress =
      v.heapBlocksTotal !== undefined && v.heapBlocksTotal > 0
        ? `, ${Math.round(((v.heapBlocksScanned ?? 0) / v.heapBlocksTotal) * 100)}% of ${v.heapBlocksTotal} blocks scanned`
        : '';
    return `${v.autovacuum ? 'autovacuum' : 'vacuum'} pid ${v.pid} on ${v.database}.${v.relation ?? '?'}: ${v.phase}${progress}, running ${age(v.runningSeconds)}`;
  });
}
