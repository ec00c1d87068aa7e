// A real terminal for interactive tests: tmux runs the CLI in a pseudo-terminal; the test reads the
// screen and types as a person would.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** Each terminal gets its own tmux server (-L), with no user configuration, so tests never touch a person's tmux. */
function tmuxOn(socket: string, ...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A condition on the whole screen, with a description for the failure message. */
export interface ScreenTest {
  readonly description: string;
  matches(screen: string): boolean;
}

export interface Terminal {
  /** The visible screen plus scrollback, as text. */
  screen(): string;
  /** Everything the terminal kept: the whole scrollback and the screen (`capture-pane -S -`). */
  scrollback(): string;
  /** Waits until the screen shows `text` (polling the pane), at most `timeoutMs` of real time. */
  waitFor(text: string | RegExp | ScreenTest, timeoutMs?: number): Promise<string>;
  /** Types `keys` and presses Enter. */
  answer(keys: string): void;
  /** Presses one key, and nothing else (a one-key question wants no Enter). */
  press(key: string): void;
  /** The exit code once the program ended, else undefined. */
  exitCode(): number | undefined;
  waitForExit(timeoutMs?: number): Promise<number>;
  close(): void;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A terminal's size in characters. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

export function openTerminal(
  command: readonly string[],
  env: Record<string, string>,
  size: TerminalSize = { columns: 160, rows: 50 },
): Terminal {
  const socket = `runbook-test-${randomBytes(4).toString('hex')}`;
  const session = 'runbook';
  const tmux = (...args: string[]): string => tmuxOn(socket, ...args);
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // tmux's own #{pane_dead_status} is unreliable (often empty for a node process), so the shell
  // around the program writes its exit code to a file.
  const exitFile = join(mkdtempSync(join(tmpdir(), 'runbook-tty-')), 'exit-code');
  const line = `${command.map(shellQuote).join(' ')}; echo $? > ${shellQuote(exitFile)}`;
  // Start idle, keep the pane after its program exits, then start the program: no exit goes unseen.
  tmux('new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), 'sleep 3600');
  // A window keeps its own size, whatever clients attach (none here), so the program sees exactly this.
  tmux('set-option', '-w', '-t', session, 'window-size', 'manual');
  tmux('set-option', '-w', '-t', session, 'remain-on-exit', 'on');
  tmux('respawn-pane', '-k', '-t', session, ...envArgs, line);

  const terminal: Terminal = {
    screen: () => tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', session),
    scrollback: () => tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', session),
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = terminal.screen();
        const shown =
          typeof text === 'string'
            ? screen.includes(text)
            : text instanceof RegExp
              ? text.test(screen)
              : text.matches(screen);
        if (shown) return screen;
        if (Date.now() > deadline) {
          const what = typeof text === 'string' || text instanceof RegExp ? String(text) : text.description;
          throw new Error(`the terminal did not show ${what} within ${timeoutMs} ms; it shows:\n${screen}`);
        }
        await pause(50);
      }
    },
    press(key) {
      tmux('send-keys', '-t', session, '-l', key);
    },
    answer(keys) {
      tmux('send-keys', '-t', session, '-l', keys);
      tmux('send-keys', '-t', session, 'Enter');
    },
    exitCode() {
      if (!existsSync(exitFile)) return undefined;
      const text = readFileSync(exitFile, 'utf8').trim();
      return text === '' ? undefined : Number(text);
    },
    async waitForExit(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const code = terminal.exitCode();
        if (code !== undefined) return code;
        if (Date.now() > deadline)
          throw new Error(`the program did not exit within ${timeoutMs} ms:\n${terminal.screen()}`);
        await pause(50);
      }
    },
    close() {
      spawnSync('tmux', ['-L', socket, 'kill-server']);
      rmSync(dirname(exitFile), { recursive: true, force: true });
    },
  };
  return terminal;
}
