// The command line: commander wiring only. Each command's work lives in commands/, loaded when used,
// so `runbook --help` and `runbook list` never pay for the Kubernetes and Linode clients.
import { Command, CommanderError, Option } from 'commander';
import { RUNBOOKS } from '../../runbooks/index.js';
import { RunbookError, usageError } from '../engine/errors.js';
import { EXIT_CODES } from '../engine/exit-codes.js';
import { paramFlags } from './param-flags.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { didYouMean } from './did-you-mean.js';
import { printable, reportError } from './errors.js';
import { helpFooter, runbookExamples } from './help-text.js';
import { type Io, println } from './io.js';
import { outputOption, parseOutput, resultOption } from './output.js';
import { resolve } from 'node:path';
import type { ForAlertOptions } from './commands/for-alert.js';
import type { ManifestsServeOptions } from './commands/manifests.js';
import type { RbacOptions } from './commands/rbac.js';
import type { ServeFlags } from './commands/serve.js';
import { SERVE_HELP } from './commands/serve-help.js';
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
  output?: string;
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
  /** -o json: the result on stdout, progress on stderr. */
  output?: string;
}

export interface ResumeFlags {
  yes?: boolean;
  kubeconfig?: string;
  context?: string;
  output?: string;
}

/** The word the completion scripts call runbook with (never shown in help). */
export const COMPLETE_COMMAND = '__complete';

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
    .addOption(resultOption())
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
    const option = new Option(paramFlags(name, spec.placeholder), description);
    if (spec.default !== undefined) option.default(spec.default);
    command.addOption(option);
  }
  command.addHelpText(
    'after',
    `\nExamples:\n${runbookExamples(runbook)
      .map((e) => `  ${e}`)
      .join('\n')}`,
  );
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
  'rbac',
  'manifests',
  'docs',
  'resume',
  'history',
  'log',
  'for-alert',
  'serve',
  'train',
  'config',
  'sim',
  'new',
  'test',
  'help',
  'completion',
  'version',
  COMPLETE_COMMAND,
]);
/** The commands that read the team's folder (besides running one of its runbooks). */
const READ_TEAM = new Set([
  'list',
  'show',
  'test',
  'resume',
  'log',
  'config',
  'for-alert',
  'rbac',
  'serve',
  'manifests',
]);

export async function main(commandLine: readonly string[], io: Io): Promise<number> {
  if (commandLine[0] === COMPLETE_COMMAND) {
    // Before --runbooks is taken out: the word index the shell gave counts every word.
    const { completeCommand } = await import('./completion.js');
    return completeCommand(commandLine.slice(1), io);
  }
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
export async function teamRunbooksFor(
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

/** The help's groups of commands, in the order `runbook --help` shows them. */
export const GROUPS = {
  incident: 'Incident:',
  rehearsal: 'Rehearsal and training:',
  runs: 'Runs:',
  setup: 'Setup:',
} as const;

/** The whole command line, for parsing, for help and for completion (which never runs an action). */
export function buildProgram(
  io: Io,
  done: (p: Promise<number>) => void,
  team: readonly AnyRunbook[],
  folderFlag: string | undefined,
): Command {
  const program = new Command('runbook')
    .description('Codified incident recovery for Kubernetes clusters on Linode (LKE).')
    .option('-V, --version', 'the version of runbook, of Node and of the client libraries')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => undefined,
    });

  program.option(
    '--runbooks <dir>',
    "the team's own runbooks folder (default: runbooksFolder in runbook.config.yaml)",
  );

  program.commandsGroup(GROUPS.incident);
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
    .addOption(outputOption())
    .option('--alerts <file>', "a team's own alert routes (JSON), ahead of the built-in ones")
    .action((alert: string | undefined, options: ForAlertOptions) =>
      done(
        import('./commands/for-alert.js').then(({ forAlertCommand }) => forAlertCommand(alert, options, io)),
      ),
    );
  program
    .command('serve')
    .description(
      "receive Alertmanager's webhook; post each firing alert's runbook, command and dry run to chat (reads only)",
    )
    .option('--listen <host:port>', 'where to listen (default: 127.0.0.1:9095)')
    .option(
      '--fold-window <duration>',
      'repeats of a firing alert within it start no new dry run (default: 5m; 1s to 24h)',
    )
    .option('--alerts <file>', "a team's own alert routes (JSON), ahead of the built-in ones")
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current context)')
    .addHelpText('after', SERVE_HELP)
    .action((options: ServeFlags) =>
      done(import('./commands/serve.js').then(({ serveCommand }) => serveCommand(options, io))),
    );
  program
    .command('list')
    .description("list the runbooks, one line each (the team's own after the built-in ones)")
    .addOption(outputOption())
    .action((options: { output?: string }) =>
      done(
        import('./commands/list.js').then(({ listCommand }) => listCommand(io, parseOutput(options.output))),
      ),
    );
  program
    .command('show')
    .description('explain a runbook: its steps, parameters and the postmortems it codifies')
    .argument('<runbook>', 'runbook id, as `runbook list` shows it')
    .addOption(outputOption())
    .action((id: string, options: { output?: string }) =>
      done(
        import('./commands/show.js').then(({ showCommand }) =>
          showCommand(id, io, parseOutput(options.output)),
        ),
      ),
    );
  for (const runbook of [...RUNBOOKS, ...team]) addRunbookCommand(program, runbook, io, done);

  program.commandsGroup(GROUPS.rehearsal);
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
    .addOption(
      new Option('-o, --output <format>', 'with --history: text, json, yaml or html (default: text)'),
    )
    .addHelpText(
      'after',
      '\nNothing is written in the current directory unless you name it. Without --workdir the files go in a new folder under\n' +
        '<state>/training/ (<state>: $RUNBOOK_STATE_DIR, else $XDG_STATE_HOME/runbook, else ~/.local/state/runbook);\n' +
        'the last 5 such folders are kept. A --workdir inside a git work tree must be one git ignores.',
    )
    .action((scenario: string | undefined, options: TrainOptionsFlags) =>
      done(import('./commands/train.js').then(({ trainCommand }) => trainCommand(scenario, options, io))),
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
  const sim = program
    .command('sim')
    .description('the simulated LKE cluster: scenarios and a foreground server');
  sim
    .command('list')
    .description('list the simulator scenarios, one line each')
    .addOption(outputOption())
    .action((options: { output?: string }) =>
      done(
        import('./commands/sim.js').then(({ simListCommand }) =>
          simListCommand(io, parseOutput(options.output)),
        ),
      ),
    );
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

  program.commandsGroup(GROUPS.runs);
  program
    .command('history')
    .description('list the runs kept in the state directory, newest first')
    .addOption(outputOption())
    .option('--limit <n>', 'how many runs at most', '50')
    .action((options: { output?: string; limit: string }) =>
      done(import('./commands/history.js').then(({ historyCommand }) => historyCommand(options, io))),
    );
  program
    .command('log')
    .description("one run's journal: a timeline, JSON or YAML, a postmortem in reStructuredText, a page")
    .argument('<run-id>', 'the run, as `runbook history` lists it')
    .addOption(outputOption(['text', 'json', 'yaml', 'rst', 'html']))
    .addOption(new Option('--format <format>', 'the same as --output (its older name)').hideHelp())
    .action((runId: string, options: { output?: string; format?: string }) =>
      done(import('./commands/log.js').then(({ logCommand }) => logCommand(runId, options, io))),
    );
  program
    .command('resume')
    .description('carry on a run that stopped: finished steps are not repeated')
    .argument('<run-id>', 'the run, as `runbook history` lists it')
    .option('-y, --yes', 'answer yes to every confirmation (for unattended runs)')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: the one the run started with)')
    .option('--context <name>', 'kubeconfig context to use (default: the one the run started with)')
    .addOption(resultOption())
    .action((runId: string, options: ResumeFlags) =>
      done(import('./commands/resume.js').then(({ resumeCommand }) => resumeCommand(runId, options, io))),
    );

  program.commandsGroup(GROUPS.setup);
  program
    .command('rbac')
    .description(
      'the Role/ClusterRole, bindings and Linode token scopes that cover exactly what runbooks read and change',
    )
    .argument('<runbook...>', 'runbook ids, as `runbook list` shows them')
    .option('--read-only', 'only what a dry run reads (what `runbook serve` needs)')
    .option('--namespace <namespace>', 'where the Role, its binding and the ServiceAccount live', 'default')
    .option('--service-account <name>', 'the ServiceAccount bound', 'runbook')
    .option('--name <name>', 'the name of the Role and ClusterRole (default: runbook-<id>)')
    .action((ids: string[], options: RbacOptions) =>
      done(import('./commands/rbac.js').then(({ rbacCommand }) => rbacCommand(ids, options, io))),
    );
  program
    .command('manifests')
    .description('Kubernetes manifests that run runbook in the cluster, for kubectl apply -f -')
    .command('serve')
    .description('the Deployment, ServiceAccount, read-only RBAC and Service of `runbook serve`')
    .option('--namespace <namespace>', 'where it runs', 'default')
    .option(
      '--image <ref>',
      "the image built from runbook's Dockerfile (default: runbook:<version>, a placeholder)",
    )
    .option('--name <name>', 'the name of every object, and of the Secret it reads', 'runbook-serve')
    .option(
      '--role-namespace <namespace>',
      'a namespace the runbooks act in, for the read-only Role (repeatable; default: --namespace)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .addOption(new Option('-o, --output <format>', 'yaml or json (default: yaml)'))
    .action((options: ManifestsServeOptions) =>
      done(
        import('./commands/manifests.js').then(({ manifestsServeCommand }) =>
          manifestsServeCommand(options, io),
        ),
      ),
    );
  const config = program
    .command('config')
    .description('the effective configuration: each setting and parameter, and where it came from')
    .argument('[runbook]', 'only this runbook (as `runbook list` names it)')
    .option('--runbook <id>', 'only this runbook')
    .addOption(outputOption())
    .action((id: string | undefined, options: { output?: string; runbook?: string }) =>
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
    .command('docs')
    .description('write docs/runbooks/<id>.md for every runbook, from what `runbook show` explains')
    .option('--output <dir>', 'where to write the pages', 'docs/runbooks')
    .action((options: { output: string }) =>
      done(import('./commands/docs.js').then(({ docsCommand }) => docsCommand(options, io))),
    );
  program
    .command('completion')
    .description('print the shell completion script: commands, runbooks, flags, run ids, scenarios, nodes')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      '\nbash: add `source <(runbook completion bash)` to ~/.bashrc\n' +
        'zsh:  add `source <(runbook completion zsh)` to ~/.zshrc\n' +
        'fish: runbook completion fish > ~/.config/fish/completions/runbook.fish',
    )
    .action((shell: string) =>
      done(import('./completion.js').then(({ completionCommand }) => completionCommand(shell, io))),
    );
  program
    .command('version')
    .description('the version of runbook, of Node and of the client libraries')
    .addOption(outputOption())
    .action((options: { output?: string }) =>
      done(
        import('./commands/version.js').then(({ versionCommand }) =>
          versionCommand(io, parseOutput(options.output)),
        ),
      ),
    );
  program.helpCommand('help [command]', 'show the help of a command');
  program.addHelpText('after', () => helpFooter([...RUNBOOKS, ...team]));
  return program;
}

async function parseAndRun(argv: readonly string[], folderFlag: string | undefined, io: Io): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const { versionCommand } = await import('./commands/version.js');
    return versionCommand(io, 'text');
  }
  const team = await teamRunbooksFor(argv, folderFlag, io);
  let pending: Promise<number> | undefined;
  const program = buildProgram(
    io,
    (p) => {
      pending = p;
    },
    team,
    folderFlag,
  );

  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (pending === undefined) {
      if (argv.length === 0) {
        program.outputHelp();
        return 0;
      }
      if (program.opts().version === true) {
        const { versionCommand } = await import('./commands/version.js');
        return versionCommand(io, 'text');
      }
      throw usageError(`Nothing to do for "${argv.join(' ')}".`, 'Run `runbook --help`.');
    }
    return await pending;
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') return 0;
    // `runbook sim` with no subcommand: its help, on stderr, is the whole answer.
    if (error instanceof CommanderError && error.code === 'commander.help') return EXIT_CODES.usage;
    return reportError(fromCommander(error, argv, program, team), io);
  }
}

async function configuredFolder(io: Io): Promise<string | undefined> {
  const { loadTeamConfig } = await import('../config/load.js');
  return (await loadTeamConfig(io))?.runbooksFolder?.value;
}

function fromCommander(
  error: unknown,
  argv: readonly string[],
  program: Command,
  team: readonly AnyRunbook[],
): unknown {
  if (!(error instanceof CommanderError)) return error;
  if (error.code === 'commander.unknownCommand') {
    const name = argv.find((a) => !a.startsWith('-')) ?? '';
    const known = [...program.commands.map((c) => c.name()), ...team.map((r) => r.id)];
    const suggestion = didYouMean(name, known).trim();
    return usageError(
      `There is no runbook or command called "${printable(name)}".`,
      `${suggestion} \`runbook list\` shows the runbooks, \`runbook --help\` the commands.`.trim(),
    );
  }
  const text = error.message.replace(/^error: /, '');
  const unknownOption = /^unknown option '([^']+)'/.exec(text);
  const command = program.commands.find((c) => c.name() === argv.find((a) => !a.startsWith('-')));
  const optionHint =
    unknownOption?.[1] === undefined || command === undefined
      ? ''
      : didYouMean(
          unknownOption[1].replace(/=.*/, ''),
          command.options.flatMap((o) => [o.long ?? '', o.short ?? '']).filter((f) => f !== ''),
        ).trim();
  return new RunbookError(
    'usage',
    `${text.charAt(0).toUpperCase()}${text.slice(1).replace(/\n[\s\S]*$/, '')}.`.replace(/\.\.$/, '.'),
    {
      next: `${optionHint} Run \`runbook ${command?.name() ?? '<command>'} --help\` for the options.`.trim(),
    },
  );
}
