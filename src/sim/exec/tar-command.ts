// `tar` in a simulated container, as far as `kubectl cp` uses it: `tar cf - PATH...` to copy out and
// `tar -xmf - [-C DIR]` to copy in, over the container's scratch filesystem, with GNU tar's messages.
import { posix } from 'node:path';
import { type Command, exit } from './context.js';
import { SCRATCH_LIMITS, ScratchError, resolvePath } from './scratch-fs.js';
import { type TarEntry, TarError, readTar, writeTar } from './ustar.js';

interface TarOptions {
  mode: 'create' | 'extract' | 'list' | undefined;
  file: string | undefined;
  directory: string;
  paths: string[];
}

function parseTar(args: readonly string[]): TarOptions | string {
  const o: TarOptions = { mode: undefined, file: undefined, directory: '/', paths: [] };
  const rest = [...args];
  let first = true;
  while (rest.length > 0) {
    const arg = rest.shift() ?? '';
    const letters = arg.startsWith('--')
      ? undefined
      : arg.startsWith('-')
        ? arg.slice(1)
        : first
          ? arg
          : undefined;
    first = false;
    if (arg === '--create') o.mode = 'create';
    else if (arg === '--extract' || arg === '--get') o.mode = 'extract';
    else if (arg === '--list') o.mode = 'list';
    else if (arg.startsWith('--file=')) o.file = arg.slice(7);
    else if (arg.startsWith('--directory=')) o.directory = arg.slice(12);
    else if (arg === '--file') o.file = rest.shift();
    else if (arg === '--directory') o.directory = rest.shift() ?? '/';
    else if (letters !== undefined && letters !== '') {
      for (const letter of letters) {
        if (letter === 'c') o.mode = 'create';
        else if (letter === 'x') o.mode = 'extract';
        else if (letter === 't') o.mode = 'list';
        else if (letter === 'f') o.file = rest.shift();
        else if (letter === 'C') o.directory = rest.shift() ?? '/';
        else if (!'mvpo'.includes(letter)) return `invalid option -- '${letter}'`;
      }
    } else o.paths.push(arg);
  }
  return o;
}

const usage = "Try 'tar --help' or 'tar --usage' for more information.\n";

export const tar: Command = async (ctx) => {
  const parsed = parseTar(ctx.argv.slice(1));
  if (typeof parsed === 'string') {
    ctx.stderr(`tar: ${parsed}\n${usage}`);
    return exit(2);
  }
  if (parsed.mode === undefined) {
    ctx.stderr(`tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options\n${usage}`);
    return exit(2);
  }
  if (parsed.file !== undefined && parsed.file !== '-') {
    ctx.stderr(`tar: ${parsed.file}: this simulator's tar reads and writes only stdin and stdout (-f -)\n`);
    return exit(2);
  }
  const cwd = resolvePath(parsed.directory);
  if (ctx.fs.stat(cwd)?.type !== 'dir') {
    ctx.stderr(
      `tar: ${parsed.directory}: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\n`,
    );
    return exit(2);
  }
  if (parsed.mode === 'create') {
    if (parsed.paths.length === 0) {
      ctx.stderr('tar: Cowardly refusing to create an empty archive\n' + usage);
      return exit(2);
    }
    const entries: TarEntry[] = [];
    let failed = false;
    if (parsed.paths.some((p) => p.startsWith('/')))
      ctx.stderr("tar: Removing leading `/' from member names\n");
    for (const path of parsed.paths) {
      const at = resolvePath(path, cwd);
      if (ctx.fs.stat(at) === undefined) {
        ctx.stderr(`tar: ${path}: Cannot stat: No such file or directory\n`);
        failed = true;
        continue;
      }
      const base = path.replace(/^\/+/, '').replace(/\/+$/, '');
      for (const p of ctx.fs.walk(at)) {
        const node = ctx.fs.stat(p);
        if (node === undefined) continue;
        const name = p === at ? base : posix.join(base, posix.relative(at, p));
        entries.push(
          node.type === 'dir'
            ? { name, type: 'dir', data: Buffer.alloc(0), mode: 0o755, mtime: node.mtime }
            : { name, type: 'file', data: node.data, mode: node.mode, mtime: node.mtime },
        );
      }
    }
    ctx.stdout(writeTar(entries));
    if (failed) ctx.stderr('tar: Exiting with failure status due to previous errors\n');
    return exit(failed ? 2 : 0);
  }
  const archive = await ctx.readStdin(SCRATCH_LIMITS.bytes + 1024 * 1024);
  let entries: TarEntry[];
  try {
    entries = readTar(archive, SCRATCH_LIMITS.bytes);
  } catch (error) {
    ctx.stderr(
      `tar: ${error instanceof TarError ? error.message : 'Unexpected EOF in archive'}\ntar: Error is not recoverable: exiting now\n`,
    );
    return exit(2);
  }
  if (parsed.mode === 'list') {
    for (const entry of entries) ctx.stdout(`${entry.name}${entry.type === 'dir' ? '/' : ''}\n`);
    return exit(0);
  }
  for (const entry of entries) {
    const at = resolvePath(entry.name.replace(/^\/+/, ''), cwd);
    try {
      if (entry.type === 'dir') ctx.fs.mkdir(at, true);
      else {
        ctx.fs.mkdir(posix.dirname(at), true);
        ctx.fs.write(at, entry.data, entry.mtime);
      }
    } catch (error) {
      const why = error instanceof ScratchError ? error.message : String(error);
      ctx.stderr(
        `tar: ${entry.name}: Cannot write: ${why.replace(/^.*: /, '')}\ntar: Exiting with failure status due to previous errors\n`,
      );
      return exit(2);
    }
  }
  return exit(0);
};
