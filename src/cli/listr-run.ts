// Renders a run as a listr2 task list: one task per step, its plan and outcomes as task output,
// its waits (how long, of what bound, why) as a live line, confirmations through the prompt adapter.
// The engine decides; listr2 only shows. On a terminal the scrollback renderer keeps every line it
// printed; elsewhere (CI, a pipe) listr2's simple renderer prints one line per event.
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { RunbookRun, StepOutput } from '../engine/run.js';
import { type WaitProgress, waitLine } from '../engine/wait-progress.js';
import { promptConfirmer } from './prompt-confirmer.js';
import { LiveStatus, ScrollbackRenderer } from './scrollback-renderer.js';

/** Without a terminal, an unchanged wait is told again only this often (of its own clock). */
const PLAIN_WAIT_REPEAT_MS = 60_000;

interface OutputTarget {
  output?: string;
}

/** On a terminal: lines go to the scrollback, what is in progress to the live line. */
function liveOutput(task: OutputTarget, live: LiveStatus): StepOutput {
  return {
    say: (line) => {
      task.output = line;
    },
    progress: (why) => {
      live.text = `… ${why}`;
    },
    waiting: (progress) => {
      live.text = waitLine(progress);
    },
  };
}

/** In a log: every line once; a wait when its reason changes, or once a minute while it does not. */
function plainOutput(task: OutputTarget): StepOutput {
  let told: WaitProgress | undefined;
  return {
    say: (line) => {
      told = undefined;
      task.output = line;
    },
    progress: (why) => {
      task.output = `… ${why}`;
    },
    waiting: (progress) => {
      const fresh =
        told === undefined ||
        told.reason !== progress.reason ||
        progress.elapsedMs - told.elapsedMs >= PLAIN_WAIT_REPEAT_MS;
      if (!fresh) return;
      told = progress;
      task.output = `… ${waitLine(progress)}`;
    },
  };
}

export async function runStepsWithListr(
  run: RunbookRun,
  options: {
    interactive: boolean;
    tty: boolean;
    /** Where the task list is written: stdout, stderr under -o json, or a buffer `runbook test` keeps. */
    stream: NodeJS.WritableStream;
  },
): Promise<void> {
  // listr2 types its streams as a terminal's; it only writes to them (and reads columns/rows if there).
  const stream = options.stream as NodeJS.WriteStream;
  const live = new LiveStatus();
  const tasks = new Listr<unknown, typeof ScrollbackRenderer, 'simple'>(
    run.steps.map((step, index) => ({
      title: `${index + 1}. ${step.title}`,
      task: async (_ctx: unknown, task) => {
        const baseTitle = task.title ?? step.title;
        const result = await run.runStep(
          step,
          options.tty ? liveOutput(task, live) : plainOutput(task),
          options.interactive ? promptConfirmer(task) : undefined,
        );
        if (result.status === 'skipped') task.skip(`${baseTitle} (skipped)`);
        else if (result.status === 'done-before') task.skip(`${baseTitle} (done before the resume)`);
        else if (result.status === 'nothing-to-do') task.title = `${baseTitle}: nothing to change`;
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      registerSignalListeners: false,
      renderer: ScrollbackRenderer,
      rendererOptions: { live, stream },
      fallbackRenderer: 'simple',
      fallbackRendererCondition: !options.tty,
      fallbackRendererOptions: {
        logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream) }),
      },
    },
  );
  await tasks.run();
}
