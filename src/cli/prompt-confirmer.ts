// Confirmations asked through listr2's inquirer adapter, inside the task list on the terminal.
import { expand, input } from '@inquirer/prompts';
import { ListrInquirerPromptAdapter } from '@listr2/prompt-adapter-inquirer';
import type { ListrTaskWrapper } from 'listr2';
import type { Answer, Confirmer } from '../engine/confirm.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTask = ListrTaskWrapper<any, any, any>;

export function promptConfirmer(task: AnyTask): Confirmer {
  return {
    async ask(question) {
      const answer: Answer = await task.prompt(ListrInquirerPromptAdapter).run(expand<Answer>, {
        message: `${question.actions.length === 1 ? 'Make this change' : `Make these ${question.actions.length} changes`}? (y: yes, s: skip this step, n: no, stop here)`,
        choices: [
          { key: 'y', name: 'yes, do it', value: 'yes' },
          { key: 's', name: 'skip this step and go on with the next', value: 'skip' },
          { key: 'n', name: 'no: stop the run here (abort)', value: 'no' },
        ],
      });
      return answer;
    },
    async typeToConfirm(expected, action) {
      const typed: string = await task.prompt(ListrInquirerPromptAdapter).run(input, {
        message: `Destructive: ${action.title}. Type ${expected} to confirm:`,
      });
      return typed.trim() === expected;
    },
  };
}
