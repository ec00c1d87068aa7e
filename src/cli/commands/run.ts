// `runbook <id>`: validate, refuse what cannot be asked, connect, show where, then run the steps as
// a listr2 task list with the engine's confirmations.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alwaysYes } from '../../engine/confirm.js';
import { RunbookError, invalidParameter, usageError } from '../../engine/errors.js';
import { resolveParams } from '../../engine/params.js';
import { RunbookRun, type StepResult } from '../../engine/run.js';
import type { AnyRunbook } from '../../engine/runbook.js';
import { parseClockSpeed } from '../../sim/clock.js';
import { findScenario } from '../../sim/scenarios/index.js';
import { type Io, println } from '../io.js';
import type { RunFlags } from '../main.js';
import { connectTarget } from '../target.js';
import { type Twin, startTwin } from '../twin.js';
import { runStepsWithListr } from '../listr-run.js';

interface SimTarget {
  readonly env: Record<string, string | undefined>;
  readonly kubeconfig: string;
  readonly describe: string;
  stop(): Promise<void>;
}

async function startEmbeddedSimulator(runbook: AnyRunbook, flags: RunFlags, io: Io): Promise<SimTarget> {
  const name = typeof flags.sim === 'string' ? flags.sim : runbook.defaultScenario;
  const scenario = findScenario(name);
  if (scenario === undefined)
    throw usageError(`There is no scenario called "${name}".`, '`runbook sim list` shows them.');
  const speed = parseClockSpeed(flags.speed ?? '10');
  if (speed === undefined)
    throw invalidParameter(`--speed must be a positive number or "instant"; "${flags.speed ?? ''}" is not.`);
  const { startSimulator, scenarioLoader } = await import('../../sim/server.js');
  const sim = await startSimulator({ world: scenarioLoader(scenario), speed });
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
  return {
    env: { ...io.env, LINODE_API_URL: sim.linodeApiUrl, LINODE_TOKEN: sim.linodeToken },
    kubeconfig,
    describe: `embedded simulator, scenario ${scenario.name}, clock ×${String(speed)}`,
    async stop() {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function summarize(results: readonly StepResult[], dryRun: boolean): string {
  const count = (status: StepResult['status']): number => results.filter((r) => r.status === status).length;
  if (dryRun) {
    return `Dry run: ${count('done')} of ${results.length} steps would change something; nothing was changed in the cluster or at Linode.`;
  }
  const skipped = count('skipped');
  return `${count('done')} steps changed something, ${count('nothing-to-do')} had nothing to change${skipped > 0 ? `, ${skipped} skipped` : ''}.`;
}

export async function runRunbookCommand(
  runbook: AnyRunbook,
  flags: RunFlags & Record<string, unknown>,
  io: Io,
): Promise<number> {
  const given = Object.fromEntries(
    Object.keys(runbook.params).map((name) => {
      const value = flags[name];
      return [name, typeof value === 'string' || typeof value === 'number' ? String(value) : undefined];
    }),
  );
  const params: unknown = resolveParams(runbook.params, given);
  const dryRun = flags.dryRun === true;
  const interactive = !dryRun && flags.yes !== true;
  if (runbook.mutating && interactive && io.stdin.isTTY !== true) {
    throw new RunbookError(
      'needs-terminal',
      `${runbook.id} changes the cluster and asks before every change, but there is no terminal to ask on.`,
      {
        next: 'Run it in a terminal, rehearse it with --dry-run, or pass --yes to answer yes to every question.',
      },
    );
  }

  const sim = flags.sim === undefined ? undefined : await startEmbeddedSimulator(runbook, flags, io);
  const interrupt = new AbortController();
  const onSigint = (): void =>
    interrupt.abort(
      new RunbookError('interrupted', 'Interrupted by Ctrl-C: stopped before the next action.', {
        next: `Run \`runbook ${runbook.id}\` again to continue: finished steps plan nothing.`,
      }),
    );
  process.on('SIGINT', onSigint);
  let twin: Twin | undefined;
  try {
    const live = await connectTarget({
      kubeconfig: sim?.kubeconfig ?? flags.kubeconfig,
      context: sim === undefined ? flags.context : undefined,
      env: sim?.env ?? io.env,
    });
    const out = (line = ''): void => println(io.stdout, line);
    out(`runbook ${runbook.id}${dryRun ? ' · DRY RUN: nothing will be changed' : ''}`);
    out(`  cluster  ${live.cluster.context} at ${live.cluster.server} (${live.nodes} nodes)`);
    out(`  linode   ${live.linode.apiUrl} as ${live.linode.account ?? 'unknown user'}`);
    if (sim !== undefined) out(`  target   ${sim.describe}`);
    if (dryRun) {
      twin = await startTwin(live, runbook, params);
      const { kubernetes, linodes, volumes } = twin.copied;
      out(
        `  twin     ${kubernetes} Kubernetes objects, ${linodes} Linodes and ${volumes} volumes copied into a simulator;`,
      );
      out(
        '           every step below runs there, at full speed, and is planned against what the steps before it left.',
      );
    }
    out();

    const target = twin?.target ?? live;
    const run = new RunbookRun({
      runbook,
      params,
      read: target.read,
      write: target.write,
      confirmer: alwaysYes,
      signal: interrupt.signal,
    });
    const started = Date.now();
    await runStepsWithListr(run, { interactive, tty: io.stdout.isTTY === true });
    out();
    out(
      `✔ ${runbook.id} finished in ${((Date.now() - started) / 1000).toFixed(1)}s. ${summarize(run.results, dryRun)}`,
    );
    if (dryRun) {
      out('  The twin behaves like a healthy cluster: a pod that will not die or a volume Linode will not');
      out('  release shows up only in the real run, which then plans the force-delete or detach it needs.');
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    await twin?.stop();
    await sim?.stop();
  }
}
