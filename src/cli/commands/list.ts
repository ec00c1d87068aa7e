// `runbook list`: the built-in runbooks, then the team's own (marked), one line each.
import { RUNBOOKS } from '../../../runbooks/index.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { type Io, println } from '../io.js';
import { type OutputFormat, printAs } from '../output.js';
import { teamRunbooks } from '../team/registry.js';

export interface ListedRunbook {
  readonly id: string;
  readonly title: string;
  /** False for a runbook that only reads. */
  readonly changes: boolean;
  readonly teamOwn: boolean;
}

export function listedRunbooks(): ListedRunbook[] {
  const entry = (runbook: AnyRunbook, teamOwn: boolean): ListedRunbook => ({
    id: runbook.id,
    title: runbook.title,
    changes: runbook.mutating,
    teamOwn,
  });
  return [...RUNBOOKS.map((r) => entry(r, false)), ...teamRunbooks().map((t) => entry(t.runbook, true))];
}

export async function listCommand(io: Io, format: OutputFormat = 'text'): Promise<number> {
  const listed = listedRunbooks();
  await printAs(
    io,
    format,
    () => listed,
    () => {
      const width = Math.max(...listed.map((r) => r.id.length));
      for (const r of listed) {
        const kind = r.changes ? 'changes' : 'reads  ';
        println(io.stdout, `${r.id.padEnd(width)}  ${kind}  ${r.title}${r.teamOwn ? "  (team's own)" : ''}`);
      }
    },
  );
  return 0;
}
