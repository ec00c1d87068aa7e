import { findRunbook } from '../../../runbooks/index.js';
import { usageError } from '../../engine/errors.js';
import { flagFor } from '../../engine/params.js';
import { type Io, println } from '../io.js';

export function showCommand(id: string, io: Io): Promise<number> {
  const runbook = findRunbook(id);
  if (runbook === undefined) {
    throw usageError(`There is no runbook called "${id}".`, '`runbook list` shows the runbooks.');
  }
  const out = (line = ''): void => println(io.stdout, line);
  out(`${runbook.id}: ${runbook.title}`);
  out();
  out(runbook.summary);
  out();
  out(`Codifies the recovery of: ${runbook.postmortems.map((p) => `postmortems/${p}.rst`).join(', ')}`);
  out(
    `Changes things: ${runbook.mutating ? 'yes (every change is shown and confirmed; --dry-run changes nothing)' : 'no'}`,
  );
  out(`Rehearse it: runbook ${runbook.id} --sim ${runbook.defaultScenario}`);
  out();
  out('Parameters:');
  for (const [name, spec] of Object.entries(runbook.params)) {
    const fallback = spec.default === undefined ? '' : ` (default: ${String(spec.default)})`;
    out(`  ${`${flagFor(name)} ${spec.placeholder}`.padEnd(34)} ${spec.description}${fallback}`);
  }
  out();
  out('Steps:');
  runbook.steps.forEach((step, index) => {
    out(`  ${index + 1}. ${step.title}  [${step.id}]`);
    out(`     ${step.explain}`);
  });
  return Promise.resolve(0);
}
