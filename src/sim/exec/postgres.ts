// psql, pg_isready and pg_dump in a simulated Postgres container: the real client binaries, run
// with an argument array (never a shell), pointed at the real PostgreSQL registered behind the pod
// whatever host or port the user names, with a clean environment, and kept off the host's files.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, type ExecContext, type ExecOutcome, exit } from './context.js';
import { SCRATCH_LIMITS, ScratchError } from './scratch-fs.js';

export const POSTGRES_TOOLS = ['psql', 'pg_isready', 'pg_dump'] as const;
/** How long one client may run (real ms) before the simulator ends it. */
export const CLIENT_TIMEOUT_MS = 120_000;

const SOCKET = '/var/run/postgresql/.s.PGSQL.5432';

function binDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'psql')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(base, versions[0], 'bin');
}

interface Parsed {
  args: string[];
  user: string | undefined;
  /** -f FILE: psql reads it, pg_dump writes it (in the scratch filesystem). */
  file: string | undefined;
  refused: string | undefined;
}

/** Options whose value the simulator reads or replaces, by tool. */
const COMMON_VALUES: Record<string, string> = {
  '-h': 'host',
  '--host': 'host',
  '-p': 'port',
  '--port': 'port',
  '-U': 'user',
  '--username': 'user',
  '-f': 'file',
  '--file': 'file',
};
const TOOL_VALUES: Record<string, Record<string, string>> = {
  psql: { '-o': 'output', '--output': 'output', '-L': 'log-file', '--log-file': 'log-file' },
  pg_dump: { '-F': 'format', '--format': 'format' },
  pg_isready: {},
};
/** Options that take a value the simulator passes on untouched, by tool. */
const PASSED_VALUES: Record<string, Set<string>> = {
  psql: new Set([
    '-d',
    '--dbname',
    '-c',
    '--command',
    '-v',
    '--set',
    '--variable',
    '-P',
    '--pset',
    '-R',
    '--record-separator',
    '-F',
    '--field-separator',
    '-T',
    '--table-attr',
  ]),
  pg_dump: new Set([
    '-d',
    '--dbname',
    '-t',
    '--table',
    '-T',
    '--exclude-table',
    '-n',
    '--schema',
    '-N',
    '--exclude-schema',
    '-Z',
    '--compress',
    '-j',
    '--jobs',
    '-E',
    '--encoding',
    '-S',
    '--superuser',
  ]),
  pg_isready: new Set(['-d', '--dbname', '-t', '--timeout']),
};

const CONNINFO =
  /^postgres(?:ql)?:\/\/|\b(?:host|hostaddr|port|passfile|service|sslkey|sslcert|sslrootcert)\s*=/i;

/** Short options that take a value, by tool (getopt's "c:" letters). */
const SHORT_WITH_VALUE: Record<string, string> = {
  psql: 'cdfFhLopPRTUv',
  pg_dump: 'deEfFhjnNpStTUZ',
  pg_isready: 'dhptU',
};
/** Long options the simulator reads, replaces or refuses: abbreviations of them are spelled out. */
const WATCHED_LONG = [
  '--host',
  '--port',
  '--username',
  '--file',
  '--output',
  '--log-file',
  '--format',
  '--command',
  '--dbname',
];

/**
 * The arguments as getopt reads them: `-Atc SQL` as `-A -t -c SQL`, `-Uapp` as `-U app`, and `--out=x`
 * as `--output=x`; an abbreviation that could be two watched options is an error.
 */
export function normaliseOptions(tool: string, argv: readonly string[]): string[] | string {
  const withValue = SHORT_WITH_VALUE[tool] ?? '';
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const candidates = WATCHED_LONG.filter((long) => long.startsWith(name) && name.length > 2);
      const exact = candidates.includes(name);
      if (!exact && candidates.length > 1) return `${tool}: option '${name}' is ambiguous`;
      const full = exact ? name : (candidates[0] ?? name);
      out.push(eq === -1 ? full : `${full}${arg.slice(eq)}`);
      continue;
    }
    if (!arg.startsWith('-') || arg.length <= 2) {
      out.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] ?? '';
      out.push(`-${letter}`);
      if (withValue.includes(letter)) {
        const rest = arg.slice(j + 1);
        if (rest !== '') out.push(rest);
        else if (i + 1 < argv.length) out.push(argv[++i] ?? '');
        break;
      }
    }
  }
  return out;
}

function parse(tool: string, raw: readonly string[]): Parsed {
  const normalised = normaliseOptions(tool, raw);
  if (typeof normalised === 'string')
    return { args: [], user: undefined, file: undefined, refused: normalised };
  const argv = normalised;
  const out: Parsed = { args: [], user: undefined, file: undefined, refused: undefined };
  const positionals: string[] = [];
  const valueOptions: Record<string, string> = { ...COMMON_VALUES, ...TOOL_VALUES[tool] };
  const passed = PASSED_VALUES[tool] ?? new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (CONNINFO.test(arg)) {
      out.refused = `${tool}: the simulator connects to this pod's own server: give -U and -d, not a connection string`;
      return out;
    }
    let option: string | undefined;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && valueOptions[arg.slice(0, eq)] !== undefined) {
      option = arg.slice(0, eq);
      value = arg.slice(eq + 1);
    } else if (valueOptions[arg] !== undefined) {
      option = arg;
      value = argv[++i];
    } else if (/^-[a-zA-Z]./.test(arg) && valueOptions[arg.slice(0, 2)] !== undefined) {
      option = arg.slice(0, 2);
      value = arg.slice(2);
    }
    if (option === undefined) {
      if (arg === '-W' || arg === '--password') continue;
      out.args.push(arg);
      if (passed.has(arg) && i + 1 < argv.length) out.args.push(argv[++i] ?? '');
      else if (!arg.startsWith('-')) positionals.push(arg);
      continue;
    }
    switch (valueOptions[option]) {
      case 'host':
      case 'port':
        break; // the pod's own server, whatever was named
      case 'user':
        out.user = value;
        if (value !== undefined) out.args.push(`--username=${value}`);
        break;
      case 'file':
        out.file = value;
        break;
      case 'format':
        if (value !== undefined && /^d/i.test(value)) {
          out.refused = `${tool}: the directory format writes many files: use -Fc or -Fp with -f FILE in this simulator`;
          return out;
        }
        if (value !== undefined) out.args.push(`--format=${value}`);
        break;
      case undefined:
      default:
        out.refused = `${tool}: ${option} would write on the simulator's host: print to stdout, or use -f with pg_dump`;
        return out;
    }
  }
  if (tool === 'psql' && out.user === undefined && positionals[1] !== undefined) out.user = positionals[1];
  return out;
}

/** psql's backslash commands that reach the host (files, shell, other servers): refused. */
const HOST_META =
  /\\(!|o\b|out\b|w\b|write\b|copy\b|i\b|include\b|ir\b|include_relative\b|e\b|edit\b|ef\b|ev\b|s\b|lo_import\b|lo_export\b|cd\b|setenv\b|getenv\b|password\b|prompt\b|gx?(?![A-Za-z_])[ \t]*[^\s\\;]|c\b|connect\b)/;

export function hostMetaCommand(text: string): string | undefined {
  const match = HOST_META.exec(text);
  return match === null ? undefined : `\\${(match[1] ?? '').trim().split(/\s/)[0] ?? ''}`;
}

function refuseMeta(ctx: ExecContext, command: string): ExecOutcome {
  ctx.stderr(
    `psql: ${command}: this simulator runs SQL and the \\d family; backslash commands that reach files, shells or other servers are refused\n`,
  );
  return exit(1);
}

function noServer(ctx: ExecContext, tool: string): ExecOutcome {
  const hint = '(simulator: no PostgreSQL is registered behind this pod; POST /_sim/portforward names one)\n';
  if (tool === 'pg_isready') {
    ctx.stdout('/var/run/postgresql:5432 - no response\n');
    ctx.stderr(hint);
    return exit(2);
  }
  const prefix = tool === 'psql' ? 'psql: error' : `${tool}: error`;
  ctx.stderr(
    `${prefix}: connection to server on socket "${SOCKET}" failed: No such file or directory\n\tIs the server running locally and accepting connections on that socket?\n${hint}`,
  );
  return exit(tool === 'psql' ? 2 : 1);
}

export const postgresClient: Command = async (ctx) => {
  const tool = ctx.argv[0] ?? 'psql';
  const bin = binDir();
  if (bin === undefined) return { startError: `exec: "${tool}": executable file not found in $PATH` };
  const parsed = parse(tool, ctx.argv.slice(1));
  if (parsed.refused !== undefined) {
    ctx.stderr(`${parsed.refused}\n`);
    return exit(2);
  }
  const backend = ctx.postgres;
  if (backend === undefined) return noServer(ctx, tool);

  let input: Buffer | undefined;
  const args = [...parsed.args];
  // Never a password prompt: it would read the terminal of whoever runs the simulator.
  if (tool !== 'pg_isready') args.unshift('--no-password');
  if (tool === 'psql') {
    args.unshift('--no-psqlrc');
    // Every argument, not only -c's: variables (-v) and bundles end up as psql input too.
    for (const arg of args) {
      const meta = hostMetaCommand(arg);
      if (meta !== undefined) return refuseMeta(ctx, meta);
    }
    if (parsed.file !== undefined) {
      try {
        input = ctx.fs.read(parsed.file);
      } catch (error) {
        ctx.stderr(
          `psql: error: ${parsed.file}: ${error instanceof ScratchError ? error.message.replace(/^.*: /, '') : 'No such file or directory'}\n`,
        );
        return exit(1);
      }
      const meta = hostMetaCommand(input.toString('utf8'));
      if (meta !== undefined) return refuseMeta(ctx, meta);
      args.push('--file=-');
    }
  }
  const user = parsed.user ?? ctx.env.PGUSER ?? 'root';
  const password = backend.logins[user];
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: '/nonexistent',
    PGHOST: backend.host,
    PGPORT: String(backend.port),
    PGUSER: user,
    PGPASSFILE: '/nonexistent/.pgpass',
    PGCONNECT_TIMEOUT: '10',
    PSQLRC: '/dev/null',
    PSQL_HISTORY: '/dev/null',
    PAGER: 'cat',
    PGAPPNAME: `${tool} (kubectl exec ${ctx.pod})`,
    ...(ctx.env.PGDATABASE === undefined ? {} : { PGDATABASE: ctx.env.PGDATABASE }),
    ...(password === undefined ? {} : { PGPASSWORD: password }),
  };
  // Its own session: no controlling terminal of the simulator's to read (\prompt, password prompts).
  const child = spawn(join(bin, tool), args, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const hide = (text: string): string =>
    text
      .split(`at "${backend.host}", port ${backend.port}`)
      .join(`on socket "${SOCKET}"`)
      .split(`${backend.host}:${backend.port}`)
      .join('/var/run/postgresql:5432');
  const toFile = tool === 'pg_dump' && parsed.file !== undefined;
  const captured: Buffer[] = [];
  let capturedBytes = 0;
  let full = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (!toFile) {
      ctx.stdout(tool === 'pg_isready' ? hide(chunk.toString('utf8')) : chunk);
      return;
    }
    capturedBytes += chunk.length;
    if (capturedBytes > SCRATCH_LIMITS.bytes - ctx.fs.used()) {
      full = true;
      child.kill('SIGKILL');
    } else captured.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => ctx.stderr(hide(chunk.toString('utf8'))));
  child.stdin.on('error', () => undefined);
  const stop = (): void => {
    child.kill('SIGKILL');
  };
  ctx.signal.addEventListener('abort', stop, { once: true });
  const timer = setTimeout(stop, CLIENT_TIMEOUT_MS);
  const closed = new Promise<number>((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 137)));
    child.on('error', () => resolve(127));
  });
  let refused: ExecOutcome | undefined;
  if (input !== undefined) child.stdin.end(input);
  else
    void (async () => {
      let carry = '';
      for await (const chunk of ctx.stdin()) {
        const text = carry + chunk.toString('utf8');
        const meta = tool === 'psql' ? hostMetaCommand(text) : undefined;
        if (meta !== undefined) {
          refused = refuseMeta(ctx, meta);
          stop();
          return;
        }
        carry = text.slice(text.lastIndexOf('\n') + 1);
        if (!child.stdin.destroyed) child.stdin.write(chunk);
      }
      child.stdin.end();
    })().catch(() => child.stdin.end());
  const code = await closed;
  clearTimeout(timer);
  ctx.signal.removeEventListener('abort', stop);
  if (refused !== undefined) return refused;
  if (full) {
    ctx.stderr('pg_dump: error: could not write to output file: No space left on device\n');
    return exit(1);
  }
  if (toFile && code === 0 && parsed.file !== undefined) {
    try {
      ctx.fs.write(parsed.file, Buffer.concat(captured));
    } catch (error) {
      ctx.stderr(
        `pg_dump: error: could not open output file "${parsed.file}": ${error instanceof ScratchError ? error.message.replace(/^.*: /, '') : String(error)}\n`,
      );
      return exit(1);
    }
  }
  return exit(code);
};
