// A question answered by one key, no Enter: `y`, `s` or `n` at 3 a.m. is the whole answer. Its
// options are shown in our words, one per line; any other key says which keys answer it.
import { createPrompt, useKeypress, useState } from '@inquirer/core';

export interface KeyChoice<Value> {
  /** One lower-case letter. */
  readonly key: string;
  /** What it does, in words: `yes, do it`. */
  readonly name: string;
  readonly value: Value;
}

export interface KeyQuestion<Value> {
  readonly message: string;
  readonly choices: ReadonlyArray<KeyChoice<Value>>;
}

function render<Value>(
  config: KeyQuestion<Value>,
  chosen: KeyChoice<Value> | undefined,
  wrongKey: string | undefined,
): string {
  if (chosen !== undefined) return `? ${config.message} → ${chosen.name}`;
  const keys = config.choices.map((c) => c.key);
  return [
    `? ${config.message}`,
    ...config.choices.map((c) => `    ${c.key}  ${c.name}`),
    wrongKey === undefined
      ? `  Press ${keys.join(', ')}.`
      : `  "${wrongKey}" is not an answer: press ${keys.join(', ')}.`,
  ].join('\n');
}

/** An @inquirer/core prompt: runs inside a listr2 task (through its adapter) or on the bare terminal. */
export const keyPrompt = createPrompt(
  <Value>(config: KeyQuestion<Value>, done: (value: Value) => void): string => {
    const [chosen, setChosen] = useState<KeyChoice<Value> | undefined>(undefined);
    const [wrongKey, setWrongKey] = useState<string | undefined>(undefined);
    useKeypress((event, rl) => {
      if (chosen !== undefined) return;
      // readline keeps what was typed as a line: a key that answers nothing must not linger there.
      rl.clearLine(0);
      const choice = config.choices.find((c) => c.key === event.name.toLowerCase() && !event.ctrl);
      if (choice === undefined) {
        setWrongKey(event.name === 'return' || event.name === 'enter' ? 'Enter' : event.name);
        return;
      }
      setChosen(choice);
      done(choice.value);
    });
    return render(config, chosen, wrongKey);
  },
);
