// `runbook test <id>`: rehearses a runbook on one simulator world, as a team checks its own: a dry
// run that must send no change, then a run with --yes, then the recovered condition (the scenario's,
// the team's faults file's, or the runbook's own verify steps). A short verdict; non-zero unless
// every check held. The world is a built-in scenario or the team's (--load, --faults: test-world.ts).
import { Writable } from 'node:stream';
import { usageError } from '../../engine/errors.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import type { RequestRecord } from '../../sim/world.js';
import { reportError } from '../errors.js';
import { type Io, println } from '../io.js';
import type { RunFlags } from '../main.js';
import { findAnyRunbook } from '../team/registry.js';
import { type TestWorldOptions, startTestWorld } from '../team/test-world.js';

export type TestOptions = TestWorldOptions;

/** A request that changes the simulated world (the cluster lock's Lease aside; dry runs and access reviews excluded). */
const isMutation = (r: RequestRecord): boolean =>
  r.method !== 'GET' &&
  r.api !== 'control' &&
  !r.path.includes('/leases') &&
  !r.path.endsWith('/selfsubjectaccessreviews') &&
  r.query.dryRun !== 'All';

/** The output of a run (its task list too: listr writes to io.stdout), shown only when it failed (the last lines). */
function captured(io: Io): { io: Io; tail(): string[] } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text = `${text}${chunk.toString()}`.slice(-20_000);
      callback();
    },
  });
  return {
    io: { stdout: sink, stderr: sink, stdin: io.stdin, env: io.env, cwd: io.cwd },
    tail: () => text.trimEnd().split('\n').slice(-15),
  };
}

export async function testCommand(id: string, options: TestOptions, io: Io): Promise<number> {
  const runbook: AnyRunbook | undefined = findAnyRunbook(id);
  if (runbook === undefined) {
    throw usageError(`There is no runbook called "${id}".`, '`runbook list` shows the runbooks.');
  }
  const { sim, shown, condition, loaded } = await startTestWorld(runbook, options, io);
  const flags: RunFlags = { sim: sim.scenario, speed: options.speed };
  const { runRunbookCommand } = await import('./run.js');
  const out = (line: string): void => println(io.stdout, line);
  const failures: string[] = [];
  try {
    out(`Testing ${runbook.id} on the simulator, ${shown}:`);
    for (const line of loaded) out(`  ${line}`);
    const mutationsBefore = sim.simulator.requests.filter(isMutation).length;
    const dry = captured(io);
    const dryCode = await runRunbookCommand(runbook, { ...flags, dryRun: true }, dry.io, sim).catch(
      (error: unknown) => reportError(error, dry.io),
    );
    const sent = sim.simulator.requests.filter(isMutation).slice(mutationsBefore);
    const dryOk = dryCode === 0 && sent.length === 0;
    out(
      `  ${dryOk ? 'ok  ' : 'FAIL'}  --dry-run: ${
        dryCode !== 0
          ? `exited ${dryCode}`
          : sent.length === 0
            ? 'no change sent'
            : `sent ${sent.length} change(s), e.g. ${sent[0]?.method ?? ''} ${sent[0]?.path ?? ''}`
      }`,
    );
    if (!dryOk) failures.push(...dry.tail());

    const yes = captured(io);
    const yesCode = await runRunbookCommand(runbook, { ...flags, yes: true }, yes.io, sim).catch(
      (error: unknown) => reportError(error, yes.io),
    );
    out(
      `  ${yesCode === 0 ? 'ok  ' : 'FAIL'}  --yes: ${yesCode === 0 ? 'every step done' : `exited ${yesCode}`}`,
    );
    if (yesCode !== 0) failures.push(...yes.tail());

    const recovered = sim.recovered(sim.simulator.world);
    const ownVerify = runbook.steps.some((s) => s.verify !== undefined);
    const recoveredOk = recovered.ok || (ownVerify && yesCode === 0);
    out(
      `  ${recoveredOk ? 'ok  ' : 'FAIL'}  recovered: ${
        recovered.ok
          ? `${recovered.detail} (${condition})`
          : ownVerify && yesCode === 0
            ? `the runbook's own verify steps passed (${condition}: ${recovered.detail})`
            : `${recovered.detail} (${condition})`
      }`,
    );
    const passed = dryOk && yesCode === 0 && recoveredOk;
    if (!passed && failures.length > 0) {
      out('  The failing run ended with:');
      for (const line of failures) out(`    ${line}`);
    }
    out(passed ? `${runbook.id} passed.` : `${runbook.id} FAILED.`);
    return passed ? 0 : 1;
  } finally {
    await sim.stop();
  }
}
