import { RUNBOOKS } from '../../../runbooks/index.js';
import { type Io, println } from '../io.js';

export function listCommand(io: Io): Promise<number> {
  const width = Math.max(...RUNBOOKS.map((r) => r.id.length));
  for (const runbook of RUNBOOKS) {
    const kind = runbook.mutating ? 'changes' : 'reads  ';
    println(io.stdout, `${runbook.id.padEnd(width)}  ${kind}  ${runbook.title}`);
  }
  return Promise.resolve(0);
}
