// What a terminal's line discipline does for `kubectl exec -it` (kubectl sends raw keys): echo what
// is typed, turn Enter into a newline, erase on backspace, end input on Ctrl-D, interrupt on Ctrl-C;
// the simulated programs read whole lines, as they would from a pty in canonical mode.

/** Longest line kept before it is handed on (a pty's canonical buffer is 4096 bytes). */
const MAX_LINE = 4096;

export interface LineDiscipline {
  input(data: Buffer): void;
}

export function createLineDiscipline(handlers: {
  echo(text: string): void;
  line(text: string): void;
  endOfInput(): void;
  interrupt(): void;
}): LineDiscipline {
  let line = '';
  let escape = 0; // 0: none, 1: after ESC, 2: inside a CSI sequence
  return {
    input(data) {
      for (const char of data.toString('utf8')) {
        if (escape === 1) {
          escape = char === '[' || char === 'O' ? 2 : 0;
          continue;
        }
        if (escape === 2) {
          if (char >= '@' && char <= '~') escape = 0;
          continue;
        }
        switch (char) {
          case '\x1b':
            escape = 1;
            break;
          case '\r':
          case '\n':
            handlers.echo('\r\n');
            handlers.line(`${line}\n`);
            line = '';
            break;
          case '\x7f':
          case '\b':
            if (line !== '') {
              line = [...line].slice(0, -1).join('');
              handlers.echo('\b \b');
            }
            break;
          case '\x15':
            handlers.echo('\b \b'.repeat([...line].length));
            line = '';
            break;
          case '\x04':
            if (line === '') handlers.endOfInput();
            else {
              handlers.line(line);
              line = '';
            }
            break;
          case '\x03':
            handlers.echo('^C\r\n');
            line = '';
            handlers.interrupt();
            break;
          default:
            if (char < ' ' && char !== '\t') break;
            if (line.length >= MAX_LINE) break;
            line += char;
            handlers.echo(char);
        }
      }
    },
  };
}
