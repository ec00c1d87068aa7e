// The few harmless commands a trainee types in any container (env, cat, ls, echo, test, mkdir, rm,
// date, hostname), over the container's scratch filesystem; shells are refused, not imitated.
import { type Command, type ExecContext, exit } from './context.js';
import { ScratchError } from './scratch-fs.js';

function fsFailure(ctx: ExecContext, tool: string, error: unknown): number {
  ctx.stderr(`${tool}: ${error instanceof ScratchError ? error.message : String(error)}\n`);
  return 1;
}

const env: Command = (ctx) => {
  const names = ctx.argv.slice(1);
  if (ctx.argv[0] === 'printenv' && names.length > 0) {
    let missing = false;
    for (const name of names) {
      const value = ctx.env[name];
      if (value === undefined) missing = true;
      else ctx.stdout(`${value}\n`);
    }
    return exit(missing ? 1 : 0);
  }
  if (names.length > 0) {
    ctx.stderr(`env: '${names[0] ?? ''}': this simulator's env only prints the environment\n`);
    return exit(127);
  }
  for (const [name, value] of Object.entries(ctx.env)) ctx.stdout(`${name}=${value}\n`);
  return exit(0);
};

const cat: Command = async (ctx) => {
  const files = ctx.argv.slice(1).filter((a) => a !== '--');
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) {
    for await (const chunk of ctx.stdin()) ctx.stdout(chunk);
    return exit(0);
  }
  let code = 0;
  for (const file of files) {
    try {
      ctx.stdout(ctx.fs.read(file));
    } catch (error) {
      code = fsFailure(ctx, 'cat', error);
    }
  }
  return exit(code);
};

function modeString(type: 'dir' | 'file', mode: number): string {
  const bits = type === 'dir' ? 0o755 : mode;
  const rwx = (n: number): string => `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`;
  return `${type === 'dir' ? 'd' : '-'}${rwx(bits >> 6)}${rwx(bits >> 3)}${rwx(bits)}`;
}

const ls: Command = (ctx) => {
  const flags = ctx.argv.slice(1).filter((a) => a.startsWith('-') && a !== '-');
  const paths = ctx.argv.slice(1).filter((a) => !a.startsWith('-') || a === '-');
  const long = flags.some((f) => f.includes('l'));
  const all = flags.some((f) => f.includes('a'));
  let code = 0;
  const targets = paths.length === 0 ? ['.'] : paths;
  for (const [i, path] of targets.entries()) {
    const at = path === '.' ? '/' : path;
    const node = ctx.fs.stat(at);
    if (node === undefined) {
      ctx.stderr(`ls: cannot access '${path}': No such file or directory\n`);
      code = 2;
      continue;
    }
    const names = node.type === 'dir' ? ctx.fs.list(at) : [path];
    if (targets.length > 1 && node.type === 'dir') ctx.stdout(`${i > 0 ? '\n' : ''}${path}:\n`);
    const shown = all ? ['.', '..', ...names] : names.filter((n) => !n.startsWith('.'));
    if (!long) {
      if (shown.length > 0) ctx.stdout(`${shown.join('\n')}\n`);
      continue;
    }
    if (node.type === 'dir') ctx.stdout(`total ${shown.length * 4}\n`);
    for (const name of shown) {
      const child =
        node.type === 'dir' ? ctx.fs.stat(name === '.' || name === '..' ? at : `${at}/${name}`) : node;
      if (child === undefined) continue;
      const size = child.type === 'file' ? child.data.length : 4096;
      const when = new Date(child.mtime * 1000);
      const month = when.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
      const stamp = `${month} ${String(when.getUTCDate()).padStart(2)} ${String(when.getUTCHours()).padStart(2, '0')}:${String(when.getUTCMinutes()).padStart(2, '0')}`;
      const mode = modeString(child.type, child.type === 'file' ? child.mode : 0o755);
      ctx.stdout(
        `${mode} ${child.type === 'dir' ? 2 : 1} root root ${String(size).padStart(8)} ${stamp} ${name}\n`,
      );
    }
  }
  return exit(code);
};

const echo: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  const noNewline = args[0] === '-n';
  ctx.stdout(`${(noNewline ? args.slice(1) : args).join(' ')}${noNewline ? '' : '\n'}`);
  return exit(0);
};

const test: Command = (ctx) => {
  const args = ctx.argv[0] === '[' ? ctx.argv.slice(1, -1) : ctx.argv.slice(1);
  const [flag, path] = args;
  if (path === undefined) return exit(flag === undefined || flag === '' ? 1 : 0);
  const node = ctx.fs.stat(path);
  switch (flag) {
    case '-d':
      return exit(node?.type === 'dir' ? 0 : 1);
    case '-f':
      return exit(node?.type === 'file' ? 0 : 1);
    case '-e':
      return exit(node === undefined ? 1 : 0);
    case '-s':
      return exit(node?.type === 'file' && node.data.length > 0 ? 0 : 1);
    case undefined:
    default:
      ctx.stderr(`${ctx.argv[0] ?? 'test'}: ${flag ?? ''}: unary operator expected\n`);
      return exit(2);
  }
};

const mkdir: Command = (ctx) => {
  const parents = ctx.argv.includes('-p');
  let code = 0;
  for (const path of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    try {
      ctx.fs.mkdir(path, parents);
    } catch (error) {
      code = fsFailure(ctx, 'mkdir', error);
    }
  }
  return exit(code);
};

const rm: Command = (ctx) => {
  const flags = ctx.argv
    .slice(1)
    .filter((a) => a.startsWith('-'))
    .join('');
  const recursive = /[rR]/.test(flags);
  const force = flags.includes('f');
  let code = 0;
  for (const path of ctx.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    if (force && ctx.fs.stat(path) === undefined) continue;
    try {
      ctx.fs.remove(path, recursive);
    } catch (error) {
      code = fsFailure(ctx, 'rm', error);
    }
  }
  return exit(code);
};

const date: Command = (ctx) => {
  const now = ctx.now();
  const text = now.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4');
  ctx.stdout(`${text}\n`);
  return exit(0);
};

const hostname: Command = (ctx) => {
  ctx.stdout(`${ctx.pod}\n`);
  return exit(0);
};

const pwd: Command = (ctx) => {
  ctx.stdout('/\n');
  return exit(0);
};

/** A shell would run anything: the simulator names what it runs instead, as a shell's own error would. */
const shell: Command = (ctx) => {
  const name = ctx.argv[0] ?? 'sh';
  ctx.stderr(
    `${name}: the simulator runs no shell; give the command and its arguments directly, e.g.\n` +
      `  kubectl exec ${ctx.pod} -c ${ctx.container} -- psql -U postgres -c 'select 1'\n` +
      `(commands here: tar, ${Object.keys(BUILTINS)
        .filter((n) => !SHELLS.includes(n))
        .join(', ')}, and psql, pg_isready, pg_dump in a Postgres container)\n`,
  );
  return exit(126);
};

const SHELLS = ['sh', 'bash', 'ash', 'dash', 'zsh'];

export const BUILTINS: Readonly<Record<string, Command>> = {
  env,
  printenv: env,
  cat,
  ls,
  echo,
  test,
  '[': test,
  mkdir,
  rm,
  date,
  hostname,
  pwd,
  true: () => exit(0),
  false: () => exit(1),
  ...Object.fromEntries(SHELLS.map((s) => [s, shell])),
};
