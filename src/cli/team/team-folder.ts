// Where a team's own runbooks live: `--runbooks <dir>` (anywhere on the command line), else the
// configuration file's `runbooksFolder:`. Read only by the commands that need it, never by --help.
import type { TeamConfig } from '../../config/schema.js';

export interface TeamFolderArgs {
  /** The command line without `--runbooks <dir>`. */
  readonly argv: readonly string[];
  readonly folder: string | undefined;
}

export function takeRunbooksFlag(argv: readonly string[]): TeamFolderArgs {
  const rest: string[] = [];
  let folder: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--runbooks' && i + 1 < argv.length) {
      folder = argv[++i];
    } else if (arg.startsWith('--runbooks=')) {
      folder = arg.slice('--runbooks='.length);
    } else {
      rest.push(arg);
    }
  }
  return { argv: rest, folder };
}

/** The team's folder: the flag's (relative to the working directory), else the file's. */
export function teamFolder(flag: string | undefined, config: TeamConfig | undefined): string | undefined {
  return flag ?? config?.runbooksFolder?.value;
}
