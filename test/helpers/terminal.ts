// A real terminal for interactive tests: tmux runs the CLI in a pseudo-terminal; the test reads the
// screen and types as a person would.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface Terminal {
  /** The visible screen plus scrollback, as text. */
  screen(): string;
  /** Waits until the screen shows `text` (polling the pane), at most `timeoutMs` of real time. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Types `keys` and presses Enter. */
  answer(keys: string): void;
  /** The exit code once the program ended, else undefined. */
  exitCode(): number | undefined;
  waitForExit(timeoutMs?: number): Promise<number>;
  close(): void;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function openTerminal(command: readonly string[], env: Record<string, string>): Terminal {
  const session = `runbook-test-${randomBytes(4).toString('hex')}`;
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const line = command.map(shellQuote).join(' ');
  tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', ...envArgs, line);
  tmux('set-option', '-t', session, 'remain-on-exit', 'on');

  const terminal: Terminal = {
    screen: () => tmux('capture-pane', '-p', '-J', '-S', '-2000', '-t', session),
    async waitFor(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = terminal.screen();
        if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
        if (Date.now() > deadline) {
          throw new Error(
            `the terminal did not show ${String(text)} within ${timeoutMs} ms; it shows:\n${screen}`,
          );
        }
        await pause(50);
      }
    },
    answer(keys) {
      tmux('send-keys', '-t', session, '-l', keys);
      tmux('send-keys', '-t', session, 'Enter');
    },
    exitCode() {
      const [dead, status] = tmux('display-message', '-p', '-t', session, '#{pane_dead} #{pane_dead_status}')
        .trim()
        .split(' ');
      return dead === '1' ? Number(status) : undefined;
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
      spawnSync('tmux', ['kill-session', '-t', session]);
    },
  };
  return terminal;
}
