// `runbook list`: the built-in runbooks, then the team's own (marked), one line each.
import { RUNBOOKS } from '../../../runbooks/index.js';
import { type Io, println } from '../io.js';
import { teamRunbooks } from '../team/registry.js';

export function listCommand(io: Io): Promise<number> {
  const team = teamRunbooks().map((t) => t.runbook);
  const width = Math.max(...[...RUNBOOKS, ...team].map((r) => r.id.length));
  const line = (runbook: (typeof RUNBOOKS)[number], mark: string): void => {
    const kind = runbook.mutating ? 'changes' : 'reads  ';
    println(io.stdout, `${runbook.id.padEnd(width)}  ${kind}  ${runbook.title}${mark}`);
  };
  for (const runbook of RUNBOOKS) line(runbook, '');
  for (const runbook of team) line(runbook, "  (team's own)");
  return Promise.resolve(0);
}
