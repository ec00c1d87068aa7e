// A team's faults file (`runbook test --faults <file>`): the faults its rehearsal switches on, named by
// the simulator's own fault kinds and fields, and optionally what "recovered" means afterwards. YAML
// or JSON. Anything wrong is one sentence naming the entry, before any world is built.
import { LineCounter, parseDocument } from 'yaml';
import { FAULT_KINDS, parseFault } from './fault-schema.js';
import { recoveredFrom } from './scenarios/recovered-conditions.js';
import type { Check } from './scenarios/recovery.js';
import type { Fault } from './world.js';

export interface FaultsFile {
  /** Switched on once the loaded world has settled, in order. */
  readonly faults: readonly Fault[];
  /** The team's own condition, when the file states one. */
  readonly recovered?: Check;
}

const SECTIONS = ['faults', 'recovered'];

/** The reason a parser gives, without its excerpt of the file (it may hold anything). */
const reasonOf = (message: string): string =>
  (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').slice(0, 200);

export function parseFaultsFile(text: string): { ok: true; file: FaultsFile } | { ok: false; error: string } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const [syntax] = doc.errors;
  if (syntax !== undefined)
    return {
      ok: false,
      error: `line ${lines.linePos(syntax.pos[0]).line}: the YAML does not parse: ${reasonOf(syntax.message)}`,
    };
  const body: unknown = doc.toJS();
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return {
      ok: false,
      error: 'the file must be a map with "faults:" (a list of faults) and, if you like, "recovered:"',
    };
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => !SECTIONS.includes(key));
  if (unknown !== undefined)
    return { ok: false, error: `"${unknown}" is not a section (sections: faults, recovered)` };
  const list = record.faults ?? [];
  if (!Array.isArray(list))
    return {
      ok: false,
      error: `faults must be a list, each entry a fault with its kind (kinds: ${FAULT_KINDS.join(', ')})`,
    };
  const faults: Fault[] = [];
  for (const [index, entry] of list.entries()) {
    const parsed = parseFault(entry);
    if (!parsed.ok) return { ok: false, error: `faults[${index}]: ${parsed.error}` };
    faults.push(parsed.fault);
  }
  if (record.recovered === undefined) return { ok: true, file: { faults } };
  const recovered = recoveredFrom(record.recovered);
  if (!recovered.ok) return recovered;
  return { ok: true, file: { faults, recovered: recovered.check } };
}
