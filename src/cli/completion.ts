// `runbook completion bash|zsh|fish` prints a script; the script asks `runbook __complete <index>
// <words…>` for the candidates at each TAB, so the three shells share one answer: commands, runbook
// ids (built-in and the team's), flags, run ids (the journal folder), scenario names, and node names
// from the cluster when one answers quickly. Loaded only for these two commands.
import type { Command, Option } from 'commander';
import { listRunIds, stateDirectory } from '../engine/journal.js';
import { usageError } from '../engine/errors.js';
import { type Io, println } from './io.js';
import { COMPLETE_COMMAND, buildProgram, teamRunbooksFor } from './main.js';
import { takeRunbooksFlag } from './team/team-folder.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;

const BASH = `# runbook completion for bash. Load it with: source <(runbook completion bash)
_runbook_complete() {
  local IFS=$'\\n'
  COMPREPLY=($("\${COMP_WORDS[0]}" ${COMPLETE_COMMAND} "$COMP_CWORD" "\${COMP_WORDS[@]}" 2>/dev/null))
}
complete -o default -F _runbook_complete runbook
`;

const ZSH = `#compdef runbook
# runbook completion for zsh. Load it with: source <(runbook completion zsh) (after compinit)
_runbook() {
  local -a candidates
  candidates=("\${(@f)$("\${words[1]}" ${COMPLETE_COMMAND} $((CURRENT - 1)) "\${words[@]}" 2>/dev/null)}")
  if (( \${#candidates[@]} == 0 )) || [[ -z "\${candidates[1]}" ]]; then
    _files
  else
    compadd -a candidates
  fi
}
compdef _runbook runbook
`;

const FISH = `# runbook completion for fish. Install: runbook completion fish > ~/.config/fish/completions/runbook.fish
function __runbook_complete
    set -l words (commandline -opc) (commandline -ct)
    runbook ${COMPLETE_COMMAND} (math (count $words) - 1) $words 2>/dev/null
end
complete -c runbook -f -a '(__runbook_complete)'
`;

export function completionCommand(shell: string, io: Io): Promise<number> {
  const script = { bash: BASH, zsh: ZSH, fish: FISH }[shell];
  if (script === undefined) {
    throw usageError(`runbook completes in ${SHELLS.join(', ')}; not in "${shell}".`);
  }
  io.stdout.write(script);
  return Promise.resolve(0);
}

/** An Io that says nothing: a TAB never prints a warning into the command line being typed. */
function quiet(io: Io): Io {
  const sink = { write: () => true } as unknown as NodeJS.WritableStream;
  return { ...io, stdout: sink, stderr: sink, cwd: io.cwd, env: io.env, stdin: io.stdin };
}

const OUTPUT_FORMATS: Readonly<Record<string, readonly string[]>> = {
  log: ['text', 'json', 'yaml', 'rst', 'html'],
  train: ['text', 'json', 'yaml', 'html'],
  resume: ['text', 'json'],
};

/** Where the words before the cursor leave us: the command (or subcommand), and the option awaiting a value. */
function walk(
  program: Command,
  words: readonly string[],
): { command: Command; path: string[]; pending?: Option; positionals: number } {
  let command = program;
  const path: string[] = [];
  let pending: Option | undefined;
  let positionals = 0;
  for (const word of words) {
    if (pending !== undefined) {
      pending = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = command.options.find((o) => o.long === word || o.short === word);
      if (option !== undefined && (option.required || option.optional)) pending = option;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word);
    if (sub !== undefined && positionals === 0) {
      command = sub;
      path.push(word);
    } else {
      positionals += 1;
    }
  }
  return { command, path, ...(pending === undefined ? {} : { pending }), positionals };
}

function valueOf(words: readonly string[], flag: string): string | undefined {
  const at = words.lastIndexOf(flag);
  return at >= 0 ? words[at + 1] : words.find((w) => w.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

async function candidates(words: readonly string[], current: string, io: Io, folder: string | undefined) {
  const team = await teamRunbooksFor(['list'], folder, quiet(io));
  const program = buildProgram(quiet(io), () => undefined, team, folder);
  const { command, path, pending, positionals } = walk(program, words);
  const runbookIds = (): string[] => program.commands.filter((c) => isRunbook(c)).map((c) => c.name());
  // Loaded only when a scenario is what is being typed.
  const scenarios = async (trainable = false): Promise<string[]> => {
    const { SCENARIOS } = await import('../sim/scenarios/index.js');
    return SCENARIOS.filter((s) => !trainable || s.runbook !== undefined).map((s) => s.name);
  };
  const runIds = (): string[] => listRunIds(stateDirectory(io.env), 200);
  const name = path.join(' ');

  const valueFor = async (option: Option): Promise<string[] | undefined> => {
    switch (option.long ?? '') {
      case '--output':
        return name === 'docs' ? undefined : [...(OUTPUT_FORMATS[name] ?? ['text', 'json', 'yaml'])];
      case '--sim':
      case '--scenario':
        return scenarios();
      case '--runbook':
        return runbookIds();
      case '--node': {
        const { clusterNodeNames } = await import('./completion-nodes.js');
        const kubeconfig = valueOf(words, '--kubeconfig');
        const context = valueOf(words, '--context');
        return clusterNodeNames({
          env: io.env,
          ...(kubeconfig === undefined ? {} : { kubeconfig }),
          ...(context === undefined ? {} : { context }),
        });
      }
      default:
        return undefined;
    }
  };

  if (pending !== undefined) {
    const values = await valueFor(pending);
    // An optional value (--sim [scenario]) may be left out: flags are fine there too.
    if (values !== undefined && !(pending.optional && current.startsWith('-'))) return values;
    if (pending.required) return [];
  }
  if (current.startsWith('-')) {
    // Short ones too (-n, -o, -y) unless a long one is being typed.
    const flags = command.options.flatMap((o) =>
      o.hidden ? [] : [o.long, current.startsWith('--') ? undefined : o.short].filter((f) => f !== undefined),
    );
    return [...flags, '--help'];
  }
  if (command === program)
    return program.commands
      .filter((c) => c.name() !== COMPLETE_COMMAND)
      .map((c) => c.name())
      .concat('help');
  if (command.commands.length > 0) return command.commands.map((c) => c.name());
  if (positionals > 0) return [];
  switch (name) {
    case 'show':
    case 'test':
    case 'config':
      return runbookIds();
    case 'log':
    case 'resume':
      return runIds();
    case 'train':
      return scenarios(true);
    case 'completion':
      return [...SHELLS];
    default:
      return [];
  }
}

/** A runbook's command carries --dry-run; no tool command does. */
function isRunbook(command: Command): boolean {
  return command.options.some((o) => o.long === '--dry-run');
}

/**
 * `runbook __complete <index> <word0> <word1> …`: the candidates for word <index> (word0 is the
 * program), one a line, those starting with what is typed so far. Never fails: a TAB prints nothing
 * rather than an error.
 */
export async function completeCommand(args: readonly string[], io: Io): Promise<number> {
  try {
    const index = Number(args[0]);
    const all = args.slice(1);
    if (!Number.isInteger(index) || index < 1) return 0;
    const { argv: before, folder } = takeRunbooksFlag(all.slice(1, index));
    const current = all[index] ?? '';
    const found = await candidates(before, current, io, folder);
    for (const candidate of [...new Set(found)].filter((c) => c.startsWith(current)).sort())
      println(io.stdout, candidate);
  } catch {
    // nothing to offer
  }
  return 0;
}
