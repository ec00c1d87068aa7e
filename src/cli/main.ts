// The command line: commander wiring only. Each command's work lives in commands/, loaded when used,
// so `runbook --help` and `runbook list` never pay for the Kubernetes and Linode clients.
import { Command, CommanderError, Option } from 'commander';
import { RUNBOOKS } from '../../runbooks/index.js';
import { RunbookError, usageError } from '../engine/errors.js';
import { flagFor } from '../engine/params.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { reportError } from './errors.js';
import { type Io, println } from './io.js';
import { resolve } from 'node:path';
import type { ForAlertOptions } from './commands/for-alert.js';
import type { TestOptions } from './commands/test.js';
import type { TeamRunbook } from './team/load-runbooks.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

interface TrainOptionsFlags {
  speed: string;
  port: string;
  kubeconfig?: string;
  workdir?: string;
  load?: string;
  history?: boolean;
  output: string;
}

interface ConfigInitFlags {
  force?: boolean;
  sim?: string | boolean;
  kubeconfig?: string;
  context?: string;
}

export interface RunFlags {
  dryRun?: boolean;
  yes?: boolean;
  sim?: string | boolean;
  speed?: string;
  kubeconfig?: string;
  context?: string;
  breakLock?: boolean | string;
  databaseUrl?: string;
}

function addRunbookCommand(
  program: Command,
  runbook: AnyRunbook,
  io: Io,
  done: (p: Promise<number>) => void,
): void {
  const command = program
    .command(runbook.id)
    .summary(runbook.title)
    .description(`${runbook.title}.\n${runbook.summary}`)
    .option('--dry-run', 'plan every step and show it; change nothing')
    .option('-y, --yes', 'answer yes to every confirmation (for unattended runs)')
    .option(
      '--sim [scenario]',
      `run against the embedded simulator (default scenario: ${runbook.defaultScenario})`,
    )
    .option('--speed <factor>', 'with --sim: simulated seconds per real second, or "instant"', '10')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current context)')
    .option(
      '--break-lock [holder]',
      "take over a stale cluster lock: asks for its holder's name (even with --yes), unless given here",
    )
    .option(
      '--database-url <url>',
      'Postgres to connect to (default: DATABASE_URL, else a port-forward to its pod)',
    );
  for (const [name, spec] of Object.entries(runbook.params)) {
    // Not commander's mandatory option: a missing one is refused by resolveParams, with exit 3.
    const description = `${spec.description}${spec.required === true ? ' (required)' : ''}`;
    const option = new Option(`${flagFor(name)} ${spec.placeholder}`, description);
    if (spec.default !== undefined) option.default(spec.default);
    command.addOption(option);
  }
  command.action((options: Record<string, unknown>) => {
    // A default shown in help is not a flag: it must not beat the environment or the team's file.
    const typed = Object.fromEntries(
      Object.entries(options).filter(
        ([key]) => !(key in runbook.params) || command.getOptionValueSource(key) === 'cli',
      ),
    );
    done(
      import('./commands/run.js').then(({ runRunbookCommand }) =>
        runRunbookCommand(runbook, typed as RunFlags & Record<string, unknown>, io),
      ),
    );
  });
}

/** Commands that are not runbooks: a first word outside these (and the built-in ids) may be the team's. */
const COMMANDS = new Set([
  'list',
  'show',
  'docs',
  'resume',
  'history',
  'log',
  'for-alert',
  'train',
  'config',
  'sim',
  'new',
  'test',
  'help',
]);
/** The commands that read the team's folder (besides running one of its runbooks). */
const READ_TEAM = new Set(['list', 'show', 'test', 'resume', 'log', 'config']);

export async function main(commandLine: readonly string[], io: Io): Promise<number> {
  const { takeRunbooksFlag } = await import('./team/team-folder.js');
  const { argv, folder: folderFlag } = takeRunbooksFlag(commandLine);
  if (folderFlag !== undefined) (await import('../config/known-runbooks.js')).noteTeamFolderFlag();
  try {
    return await parseAndRun(argv, folderFlag, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/** Loads the team's runbooks when this command may use them (never for --help): failures on stderr. */
async function teamRunbooksFor(
  argv: readonly string[],
  folderFlag: string | undefined,
  io: Io,
): Promise<AnyRunbook[]> {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first === undefined) return [];
  const builtIn = COMMANDS.has(first) || RUNBOOKS.some((r) => r.id === first);
  const help = argv.includes('--help') || argv.includes('-h');
  if (builtIn && (help || !READ_TEAM.has(first))) return [];
  const { loadTeamConfig } = await import('../config/load.js');
  const { teamFolder } = await import('./team/team-folder.js');
  const folder = teamFolder(
    folderFlag === undefined ? undefined : resolve(io.cwd, folderFlag),
    folderFlag === undefined ? await loadTeamConfig(io) : undefined,
  );
  if (folder === undefined) return [];
  const { loadTeamRunbooks } = await import('./team/load-runbooks.js');
  const { setTeamRunbooks } = await import('./team/registry.js');
  const loaded = await loadTeamRunbooks(folder);
  const accepted: TeamRunbook[] = [];
  const failures = [...loaded.failures];
  for (const team of loaded.runbooks) {
    const id = team.runbook.id;
    if (RUNBOOKS.some((r) => r.id === id) || COMMANDS.has(id)) {
      failures.push(
        `${team.file}: its id "${id}" is taken by a built-in ${COMMANDS.has(id) ? 'command' : 'runbook'}; rename it.`,
      );
    } else if (accepted.some((a) => a.runbook.id === id)) {
      failures.push(`${team.file}: its id "${id}" is already used by another of the team's runbooks.`);
    } else {
      accepted.push(team);
    }
  }
  for (const failure of failures) println(io.stderr, `! team runbook not loaded: ${failure}`);
  setTeamRunbooks(accepted);
  return accepted.map((a) => a.runbook);
}

async function parseAndRun(argv: readonly string[], folderFlag: string | undefined, io: Io): Promise<number> {
  const team = await teamRunbooksFor(argv, folderFlag, io);
  let pending: Promise<number> | undefined;
  const done = (p: Promise<number>): void => {
    pending = p;
  };
  const program = new Command('runbook')
    .description('Codified incident recovery for Kubernetes clusters on Linode (LKE).')
    .version('0.1.0')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => undefined,
    });

  program.option(
    '--runbooks <dir>',
    "the team's own runbooks folder (default: runbooksFolder in runbook.config.yaml)",
  );
  program
    .command('list')
    .description("list the runbooks, one line each (the team's own after the built-in ones)")
    .action(() => done(import('./commands/list.js').then(({ listCommand }) => listCommand(io))));
  program
    .command('new')
    .description("write a new runbook of the team's own, and its test, in the team's folder")
    .argument('<id>', 'its id: lowercase words joined by hyphens, e.g. restart-site')
    .option('--dir <folder>', "where to write it (default: the team's runbooks folder, else ./runbooks)")
    .action((id: string, options: { dir?: string }) =>
      done(
        import('./commands/new.js').then(async ({ newCommand }) =>
          newCommand(id, options.dir ?? folderFlag ?? (await configuredFolder(io)) ?? 'runbooks', io),
        ),
      ),
    );
  program
    .command('test')
    .description(
      'rehearse a runbook on a simulator scenario: --dry-run (no change sent), then --yes, then check',
    )
    .argument('<runbook>', 'runbook id, as `runbook list` shows it')
    .option('--scenario <name>', "scenario (`runbook sim list`; default: the runbook's own)")
    .option('--load <dir>', "rehearse on the team's own manifest folder instead (as `sim start --load`)")
    .option('--faults <file>', 'YAML or JSON: the faults to switch on, and what "recovered" means')
    .option('--speed <factor>', 'simulated seconds per real second, or "instant"', 'instant')
    .action((id: string, options: TestOptions) =>
      done(import('./commands/test.js').then(({ testCommand }) => testCommand(id, options, io))),
    );
  program
    .command('show')
    .description('explain a runbook: its steps, parameters and the postmortems it codifies')
    .argument('<runbook>', 'runbook id, as `runbook list` shows it')
    .action((id: string) =>
      done(import('./commands/show.js').then(({ showCommand }) => showCommand(id, io))),
    );
  program
    .command('docs')
    .description('write docs/runbooks/<id>.md for every runbook, from what `runbook show` explains')
    .option('--output <dir>', 'where to write the pages', 'docs/runbooks')
    .action((options: { output: string }) =>
      done(import('./commands/docs.js').then(({ docsCommand }) => docsCommand(options, io))),
    );

  program
    .command('resume')
    .description('carry on a run that stopped: finished steps are not repeated')
    .argument('<run-id>', 'the run, as `runbook history` lists it')
    .option('-y, --yes', 'answer yes to every confirmation (for unattended runs)')
    .action((runId: string, options: { yes?: boolean }) =>
      done(import('./commands/resume.js').then(({ resumeCommand }) => resumeCommand(runId, options, io))),
    );
  program
    .command('history')
    .description('list the runs kept in the state directory, newest first')
    .option('--output <format>', 'text or json', 'text')
    .option('--limit <n>', 'how many runs at most', '50')
    .action((options: { output: string; limit: string }) =>
      done(import('./commands/history.js').then(({ historyCommand }) => historyCommand(options, io))),
    );
  program
    .command('log')
    .description("one run's journal: a timeline, JSON, or a postmortem in reStructuredText")
    .argument('<run-id>', 'the run, as `runbook history` lists it')
    .option('--format <format>', 'text, json or rst', 'text')
    .action((runId: string, options: { format: string }) =>
      done(import('./commands/log.js').then(({ logCommand }) => logCommand(runId, options, io))),
    );

  program
    .command('for-alert')
    .description(
      "the runbook, and its full command line, for each firing alert (Alertmanager's webhook JSON)",
    )
    .argument(
      '[alert]',
      'an alert name, e.g. KubeNodeNotReady; `-` (or nothing, piped): the JSON on standard input',
    )
    .option(
      '--payload <file>',
      "Alertmanager's webhook JSON (version 4), saved to a file; `-`: standard input",
    )
    .option(
      '--label <name=value>',
      "with an alert name: its labels, to fill the runbook's parameters",
      collect,
      [],
    )
    .option('--list', 'show every route: alert, runbook, parameters, where the route comes from')
    .option('--output <format>', 'text or json', 'text')
    .option('--alerts <file>', "a team's own alert routes (JSON), ahead of the built-in ones")
    .action((alert: string | undefined, options: ForAlertOptions) =>
      done(
        import('./commands/for-alert.js').then(({ forAlertCommand }) => forAlertCommand(alert, options, io)),
      ),
    );
  program
    .command('train')
    .description("rehearse a postmortem's night on a simulated cluster, then a debrief")
    .argument('[scenario]', 'a scenario (`runbook sim list`); default: the one rehearsed longest ago')
    .option('--speed <factor>', 'simulated seconds per real second, or "instant"', '1')
    .option('--port <port>', 'loopback port for the simulated cluster (0: any free port)', '0')
    .option(
      '--workdir <dir>',
      "folder for its kubeconfig and the team's repository (default: a new one under the state directory)",
    )
    .option('--kubeconfig <file>', 'where to write its kubeconfig instead (default: in the workdir)')
    .option(
      '--load <dir>',
      "your team's repository: the cluster is built from it and the night's fault strikes its workloads",
    )
    .option('--history', 'list who rehearsed which scenario, when, and how fast')
    .option('--output <format>', 'with --history: text or json', 'text')
    .addHelpText(
      'after',
      '\nNothing is written in the current directory unless you name it. Without --workdir the files go in a new folder under\n' +
        '<state>/training/ (<state>: $RUNBOOK_STATE_DIR, else $XDG_STATE_HOME/runbook, else ~/.local/state/runbook);\n' +
        'the last 5 such folders are kept. A --workdir inside a git work tree must be one git ignores.',
    )
    .action((scenario: string | undefined, options: TrainOptionsFlags) =>
      done(import('./commands/train.js').then(({ trainCommand }) => trainCommand(scenario, options, io))),
    );

  const config = program
    .command('config')
    .description('the effective configuration: each setting and parameter, and where it came from')
    .argument('[runbook]', 'only this runbook (as `runbook list` names it)')
    .option('--runbook <id>', 'only this runbook')
    .option('--output <format>', 'text or json', 'text')
    .action((id: string | undefined, options: { output: string; runbook?: string }) =>
      done(import('./commands/config.js').then(({ configCommand }) => configCommand(id, options, io))),
    );
  config
    .command('init')
    .description('write a commented runbook.config.yaml here, from what the cluster shows')
    .option('--force', 'overwrite an existing runbook.config.yaml')
    .option('--sim [scenario]', 'read the embedded simulator instead (default scenario: the Postgres one)')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current context)')
    .action((options: ConfigInitFlags) =>
      done(
        import('./commands/config-init.js').then(({ configInitCommand }) => configInitCommand(options, io)),
      ),
    );

  const sim = program
    .command('sim')
    .description('the simulated LKE cluster: scenarios and a foreground server');
  sim
    .command('list')
    .description('list the simulator scenarios, one line each')
    .action(() => done(import('./commands/sim.js').then(({ simListCommand }) => simListCommand(io))));
  sim
    .command('start')
    .description('run the simulator in the foreground and write a kubeconfig for it')
    .option('--scenario <name>', 'scenario to load (`runbook sim list`)', 'healthy')
    .option('--port <port>', 'loopback port to listen on (0: any free port)', '0')
    .option(
      '--kubeconfig <file>',
      'where to write the kubeconfig (default: <state>/sim/, removed when the simulator stops)',
    )
    .option('--speed <factor>', 'simulated seconds per real second, or "instant"', '1')
    .option('--load <dir>', 'instead of a scenario: three Ready nodes and the manifests of this directory')
    .action(
      (options: { scenario: string; port: string; kubeconfig?: string; speed: string; load?: string }) =>
        done(import('./commands/sim.js').then(({ simStartCommand }) => simStartCommand(options, io))),
    );

  for (const runbook of [...RUNBOOKS, ...team]) addRunbookCommand(program, runbook, io, done);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (pending === undefined) {
      if (argv.length === 0) {
        program.outputHelp();
        return 0;
      }
      throw usageError(`Nothing to do for "${argv.join(' ')}".`, 'Run `runbook --help`.');
    }
    return await pending;
  } catch (error) {
    if (
      error instanceof CommanderError &&
      (error.code === 'commander.helpDisplayed' || error.code === 'commander.version')
    ) {
      return 0;
    }
    return reportError(fromCommander(error, argv), io);
  }
}

async function configuredFolder(io: Io): Promise<string | undefined> {
  const { loadTeamConfig } = await import('../config/load.js');
  return (await loadTeamConfig(io))?.runbooksFolder?.value;
}

function fromCommander(error: unknown, argv: readonly string[]): unknown {
  if (!(error instanceof CommanderError)) return error;
  if (error.code === 'commander.unknownCommand') {
    const name = argv.find((a) => !a.startsWith('-')) ?? '';
    return usageError(
      `There is no runbook or command called "${name}".`,
      '`runbook list` shows the runbooks.',
    );
  }
  const text = error.message.replace(/^error: /, '');
  return new RunbookError('usage', `${text.charAt(0).toUpperCase()}${text.slice(1)}.`.replace(/\.\.$/, '.'), {
    next: 'Run `runbook <command> --help` for the options.',
  });
}
