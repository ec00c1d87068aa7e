// Renders a run as a listr2 task list: one task per step, its plan and waits as task output,
// confirmations through the prompt adapter. The engine decides; listr2 only shows.
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import type { RunbookRun } from '../engine/run.js';
import { promptConfirmer } from './prompt-confirmer.js';

export async function runStepsWithListr(
  run: RunbookRun,
  options: { interactive: boolean; tty: boolean; toStderr?: boolean },
): Promise<void> {
  const tasks = new Listr(
    run.steps.map((step, index) => ({
      title: `${index + 1}. ${step.title}`,
      rendererOptions: { persistentOutput: true, outputBar: Infinity },
      task: async (_ctx: unknown, task) => {
        const baseTitle = task.title ?? step.title;
        const result = await run.runStep(
          step,
          {
            say: (line) => {
              task.output = line;
            },
            progress: (why) => {
              task.output = `… ${why}`;
            },
          },
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
      renderer: options.tty ? 'default' : 'simple',
      fallbackRenderer: 'simple',
      rendererOptions: {
        collapseErrors: false,
        showErrorMessage: true,
        // -o json: stdout carries the run's result alone, so the task list goes to stderr.
        ...(options.toStderr === true
          ? { logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }) }
          : {}),
      },
      ...(options.toStderr === true
        ? {
            fallbackRendererOptions: {
              logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }),
            },
          }
        : {}),
    },
  );
  await tasks.run();
}
