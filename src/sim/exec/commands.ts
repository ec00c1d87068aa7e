// Which program a command line names in a simulated container: a builtin, tar, or (in a Postgres
// image) the real PostgreSQL clients; anything else fails to start as containerd says it does.
import { BUILTINS } from './builtins.js';
import type { Command, ExecContext, ExecOutcome } from './context.js';
import { POSTGRES_TOOLS, postgresClient } from './postgres.js';
import { tar } from './tar-command.js';

/** Images that carry the PostgreSQL client binaries. */
export const isPostgresImage = (image: string): boolean =>
  /(^|\/)(postgres|postgis|timescaledb)[^/]*(:|$|@)/.test(image) || /(^|\/)postgres/.test(image);

function find(program: string, image: string): Command | undefined {
  const name = program.includes('/') ? program.slice(program.lastIndexOf('/') + 1) : program;
  if ((POSTGRES_TOOLS as readonly string[]).includes(name))
    return isPostgresImage(image) ? postgresClient : undefined;
  if (name === 'tar') return tar;
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
}

export async function runCommand(ctx: ExecContext): Promise<ExecOutcome> {
  const program = ctx.argv[0] ?? '';
  const command = find(program, ctx.image);
  if (command === undefined) {
    const why = program.includes('/')
      ? `stat ${program}: no such file or directory`
      : `exec: "${program}": executable file not found in $PATH`;
    return { startError: why };
  }
  const name = program.includes('/') ? program.slice(program.lastIndexOf('/') + 1) : program;
  return command({ ...ctx, argv: [name, ...ctx.argv.slice(1)] });
}
