// A listr2 renderer for terminals that never takes back what it printed. listr2's default renderer
// redraws the whole task list in place: once the list is taller than the screen, its first steps
// (and a NO BACKUP warning among them) are lost, from the screen and from the scrollback. Here each
// step's title, its lines and its outcome are printed once, into the scrollback, as they happen;
// only the live part below them (the running step with its spinner and what it waits for, and a
// question) is redrawn, and it is kept shorter than the screen.
import { stripVTControlCharacters } from 'node:util';
import { type ListrRendererFactory, type ListrTaskObject, ListrTaskEventType, ListrTaskState } from 'listr2';

/** What the running step is doing right now (an action, a wait): set by the runner, drawn live. */
export class LiveStatus {
  text: string | undefined;
}

export interface ScrollbackRendererOptions {
  readonly live?: LiveStatus;
  /** Where it writes; process.stdout by default (tests pass their own). */
  readonly stream?: NodeJS.WriteStream;
}

type AnyTask = ListrTaskObject<unknown, ListrRendererFactory, ListrRendererFactory>;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const TICK_MS = 120;
const ESC = '\u001b[';
/** At most this many rows of a long wait reason in the live part. */
const STATUS_ROWS = 3;

/** Cuts `line` into rows of at most `width` characters (the live part must know its height). */
function rowsOf(line: string, width: number): string[] {
  const chars = [...line];
  if (chars.length <= width) return [line];
  const rows: string[] = [];
  for (let i = 0; i < chars.length; i += width) rows.push(chars.slice(i, i + width).join(''));
  return rows;
}

export class ScrollbackRenderer {
  static nonTTY = false;
  static rendererOptions: ScrollbackRendererOptions = {};
  static rendererTaskOptions: Record<never, never> = {};

  private readonly stream: NodeJS.WriteStream;
  private readonly live: LiveStatus;
  private readonly started = new Set<string>();
  private readonly closed = new Set<string>();
  private running: AnyTask | undefined;
  private prompt: string | undefined;
  private drawnRows = 0;
  private frame = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readonly showCursor = (): void => {
    this.stream.write(`${ESC}?25h`);
  };

  constructor(
    private readonly tasks: readonly AnyTask[],
    options: ScrollbackRendererOptions,
  ) {
    this.stream = options.stream ?? process.stdout;
    this.live = options.live ?? new LiveStatus();
  }

  render(): void {
    this.stream.write(`${ESC}?25l`);
    process.once('exit', this.showCursor);
    for (const task of this.tasks) this.follow(task);
    this.ticker = setInterval(() => {
      this.frame = (this.frame + 1) % SPINNER.length;
      this.draw();
    }, TICK_MS);
    this.ticker.unref();
  }

  end(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.erase();
    this.showCursor();
    process.off('exit', this.showCursor);
  }

  private follow(task: AnyTask): void {
    const title = (): string => task.title ?? '';
    task.on(ListrTaskEventType.STATE, (state) => {
      if (state === ListrTaskState.STARTED && !this.started.has(task.id)) {
        this.started.add(task.id);
        this.running = task;
        this.live.text = undefined;
        this.print([`❯ ${title()}`]);
      } else if (state === ListrTaskState.PROMPT_COMPLETED || state === ListrTaskState.PROMPT_FAILED) {
        // The question and its answer stay in the scrollback, as the operator saw them answered.
        const asked = this.prompt;
        this.prompt = undefined;
        if (asked !== undefined) this.print(asked.split('\n').map((line) => `  ${line}`));
      }
    });
    task.on(ListrTaskEventType.OUTPUT, (output) => {
      this.live.text = undefined;
      this.print(
        stripVTControlCharacters(output)
          .trimEnd()
          .split('\n')
          .map((line) => `  › ${line}`),
      );
    });
    task.on(ListrTaskEventType.PROMPT, (prompt) => {
      const text = stripVTControlCharacters(prompt).trimEnd();
      if (text.trim() === '') return;
      this.prompt = text;
      this.draw();
    });
    task.on(ListrTaskEventType.CLOSED, () => {
      if (this.closed.has(task.id)) return;
      this.closed.add(task.id);
      if (this.running === task) this.running = undefined;
      this.live.text = undefined;
      if (task.hasFailed()) this.print([`✖ ${title()}`]);
      else if (task.isSkipped()) this.print([`↓ ${task.message.skip ?? title()}`]);
      else this.print([`✔ ${title()}`]);
    });
  }

  /** Lines for the scrollback: the live part is taken away, they are written, it is drawn again. */
  private print(lines: readonly string[]): void {
    this.erase();
    this.stream.write(`${lines.join('\n')}\n`);
    this.draw();
  }

  private width(): number {
    return Math.max(20, (this.stream.columns || 80) - 1);
  }

  private liveRows(): string[] {
    const width = this.width();
    const rows: string[] = [];
    const task = this.running;
    if (task !== undefined) {
      rows.push(...rowsOf(`${SPINNER[this.frame] ?? '-'} ${task.title ?? ''}`, width).slice(0, 1));
      if (this.live.text !== undefined)
        rows.push(...rowsOf(`  ${this.live.text}`, width).slice(0, STATUS_ROWS));
    }
    if (this.prompt !== undefined) {
      if (rows.length > 0) rows.push('');
      for (const line of this.prompt.split('\n')) rows.push(...rowsOf(line, width));
    }
    // Never taller than the screen: a redraw can only take back rows it can still reach.
    const height = Math.max(2, (this.stream.rows || 24) - 1);
    return rows.slice(-height);
  }

  private draw(): void {
    const rows = this.liveRows();
    this.erase();
    if (rows.length === 0) return;
    this.stream.write(rows.join('\n'));
    this.drawnRows = rows.length;
  }

  /** Takes the live part away: the cursor goes back to its first row, which is cleared to the end. */
  private erase(): void {
    if (this.drawnRows === 0) return;
    const up = this.drawnRows - 1;
    this.stream.write(`${up > 0 ? `${ESC}${up}A` : ''}\r${ESC}0J`);
    this.drawnRows = 0;
  }
}
