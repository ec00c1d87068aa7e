// Confirmations on the terminal: inside the task list through listr2's inquirer adapter, or plain
// inquirer after the task list has ended (compensations). One set of questions for both.
// The prompt libraries load on the first question: a run with --yes never pays for them.
import type { expand, input } from '@inquirer/prompts';
import type { ListrTaskWrapper } from 'listr2';
import type { Answer, Confirmer } from '../engine/confirm.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTask = ListrTaskWrapper<any, any, any>;

interface Prompts {
  expand(config: Parameters<typeof expand<Answer>>[0]): Promise<Answer>;
  input(config: Parameters<typeof input>[0]): Promise<string>;
}

function confirmerOver(prompts: Prompts): Confirmer {
  return {
    ask(question) {
      const what =
        question.manual === true
          ? 'Is this done by hand'
          : question.actions.length === 1
            ? 'Make this change'
            : `Make these ${question.actions.length} changes`;
      return prompts.expand({
        message: `${what}? (y: yes, s: skip this step, n: no, stop here)`,
        choices: [
          { key: 'y', name: question.manual === true ? 'yes, it is done' : 'yes, do it', value: 'yes' },
          { key: 's', name: 'skip this step and go on with the next', value: 'skip' },
          { key: 'n', name: 'no: stop the run here (abort)', value: 'no' },
        ],
      });
    },
    async typeToConfirm(expected, action) {
      const typed = await prompts.input({
        message: `Destructive: ${action.title}. Type ${expected} to confirm:`,
      });
      return typed.trim() === expected;
    },
  };
}

/** Questions inside a running listr2 task. */
export function promptConfirmer(task: AnyTask): Confirmer {
  return confirmerOver({
    async expand(config) {
      const [prompts, { ListrInquirerPromptAdapter }] = await Promise.all([
        import('@inquirer/prompts'),
        import('@listr2/prompt-adapter-inquirer'),
      ]);
      const answer: Answer = await task
        .prompt(ListrInquirerPromptAdapter)
        .run(prompts.expand<Answer>, config);
      return answer;
    },
    async input(config) {
      const [prompts, { ListrInquirerPromptAdapter }] = await Promise.all([
        import('@inquirer/prompts'),
        import('@listr2/prompt-adapter-inquirer'),
      ]);
      const typed: string = await task.prompt(ListrInquirerPromptAdapter).run(prompts.input, config);
      return typed;
    },
  });
}

/** Questions on the bare terminal, once the task list has ended. */
export const plainPromptConfirmer: Confirmer = confirmerOver({
  expand: async (config) => (await import('@inquirer/prompts')).expand<Answer>(config),
  input: async (config) => (await import('@inquirer/prompts')).input(config),
});
