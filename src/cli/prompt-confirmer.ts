// Confirmations on the terminal: inside the task list through listr2's inquirer adapter, or plain
// inquirer after the task list has ended (compensations). One set of questions for both: a single
// key answers yes / skip / no; a destructive change wants its target's name typed.
// The prompt libraries load on the first question: a run with --yes never pays for them.
// Every question is written to the stream it is given (stderr under -o json), never to stdout unasked.
import type { input } from '@inquirer/prompts';
import type { ListrInquirerPromptAdapter } from '@listr2/prompt-adapter-inquirer';
import type { ListrTaskWrapper } from 'listr2';
import { type Answer, type Confirmer, NAME_TRIES, type NameAttempt } from '../engine/confirm.js';
import type { KeyQuestion } from './key-prompt.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTask = ListrTaskWrapper<any, any, any>;

interface Prompts {
  choose(config: KeyQuestion<Answer>): Promise<Answer>;
  input(config: Parameters<typeof input>[0]): Promise<string>;
}

/** The typed-name question: the name on a line of its own, so a pod's hash is never cut in two. */
async function typeName(
  prompts: Prompts,
  expected: string,
  title: string,
  attempt: NameAttempt,
): Promise<boolean> {
  const typed = await prompts.input({
    message:
      attempt.number === 1
        ? `Destructive: ${title}.\n  Type ${expected} to confirm:`
        : `That is not ${expected} (try ${attempt.number} of ${attempt.of}).\n  Type ${expected} to confirm:`,
  });
  return typed.trim() === expected;
}

function confirmerOver(prompts: Prompts): Confirmer {
  return {
    ask(question) {
      const manual = question.manual === true;
      const what = manual
        ? 'Is this done by hand'
        : question.actions.length === 1
          ? 'Make this change'
          : `Make these ${question.actions.length} changes`;
      return prompts.choose({
        message: `${what}?`,
        choices: [
          { key: 'y', name: manual ? 'yes, it is done' : 'yes, do it', value: 'yes' },
          { key: 's', name: 'skip this step and go on with the next', value: 'skip' },
          { key: 'n', name: 'no: stop the run here', value: 'no' },
        ],
      });
    },
    typeToConfirm: (expected, action, attempt) => typeName(prompts, expected, action.title, attempt),
  };
}

/** Questions inside a running listr2 task. */
export function promptConfirmer(task: AnyTask): Confirmer {
  const adapter = async (): Promise<ListrInquirerPromptAdapter> => {
    const { ListrInquirerPromptAdapter } = await import('@listr2/prompt-adapter-inquirer');
    return task.prompt(ListrInquirerPromptAdapter);
  };
  return confirmerOver({
    async choose(config) {
      const [{ keyPrompt }, prompt] = await Promise.all([import('./key-prompt.js'), adapter()]);
      const answer: Answer = await prompt.run(keyPrompt<Answer>, config);
      return answer;
    },
    async input(config) {
      const [{ input }, prompt] = await Promise.all([import('@inquirer/prompts'), adapter()]);
      const typed: string = await prompt.run(input, config);
      return typed;
    },
  });
}

/** Where a question on the bare terminal is read from and written to. */
export interface PromptStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

function plainPrompts(streams: PromptStreams): Prompts {
  const context = { input: streams.input, output: streams.output };
  return {
    choose: async (config) => (await import('./key-prompt.js')).keyPrompt<Answer>(config, context),
    input: async (config) => (await import('@inquirer/prompts')).input(config, context),
  };
}

/** Questions on the bare terminal (once the task list has ended), written to `streams.output`. */
export function plainPromptConfirmer(streams: PromptStreams): Confirmer {
  return confirmerOver(plainPrompts(streams));
}

/**
 * A destructive act outside any step (taking over a stale lock) asks as a step's does: its target's
 * name typed, again after a typo, NAME_TRIES times at most. True once it was typed exactly.
 */
export async function confirmByName(
  streams: PromptStreams,
  expected: string,
  title: string,
): Promise<boolean> {
  const prompts = plainPrompts(streams);
  for (let number = 1; number <= NAME_TRIES; number++) {
    if (await typeName(prompts, expected, title, { number, of: NAME_TRIES })) return true;
  }
  return false;
}
