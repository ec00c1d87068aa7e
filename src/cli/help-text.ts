// What `runbook --help` says after the commands: an example per runbook and the exit codes (from the
// one map in src/engine/exit-codes.ts), so a 3 a.m. reader needs neither the README nor a browser.
import { EXIT_CODES, EXIT_CODE_MEANINGS } from '../engine/exit-codes.js';
import { flagFor } from '../engine/params.js';
import type { AnyRunbook } from '../engine/runbook.js';

/** The runbook's command with its required parameters as placeholders. */
function commandOf(runbook: AnyRunbook): string {
  const required = Object.entries(runbook.params)
    .filter(([, spec]) => spec.required === true)
    .map(([name, spec]) => ` ${flagFor(name)} ${spec.placeholder}`);
  return `runbook ${runbook.id}${required.join('')}`;
}

/** Rehearse, look, then do: the three lines of a runbook's own --help. */
export function runbookExamples(runbook: AnyRunbook): string[] {
  const command = commandOf(runbook);
  const lines: Array<[string, string]> = [
    [`${command} --sim`, `rehearse on the simulated cluster (${runbook.defaultScenario})`],
    [
      `${command} --dry-run`,
      runbook.mutating ? 'show every change, change nothing' : 'the same: it only reads',
    ],
    [command, runbook.mutating ? 'run it, each change shown and confirmed' : 'run it'],
  ];
  const width = Math.max(...lines.map(([c]) => c.length));
  return lines.map(([c, why]) => `${c.padEnd(width)}  # ${why}`);
}

export function helpFooter(runbooks: readonly AnyRunbook[]): string {
  const examples = runbooks.map((r) => `${commandOf(r)} --dry-run`);
  const codes = (Object.entries(EXIT_CODES) as Array<[keyof typeof EXIT_CODES, number]>)
    .sort(([, a], [, b]) => a - b)
    .map(([name, code]) => `  ${String(code).padStart(3)}  ${EXIT_CODE_MEANINGS[name]}`);
  return [
    '',
    'Examples (--dry-run changes nothing; --sim rehearses on a simulated cluster):',
    '  runbook for-alert KubeNodeNotReady --label node=lke-pool-1   # which runbook, which command',
    ...examples.map((e) => `  ${e}`),
    '  runbook history                                                # the runs, newest first',
    '',
    'Exit codes:',
    ...codes,
    '',
    'Every command that prints data takes -o text|json|yaml. `runbook <command> --help` says more.',
  ].join('\n');
}
