// The one `-o, --output` of every command that prints data (kubectl's convention): text for people,
// json and yaml for scripts. The data printed as json or yaml is the same object, in the same order.
import { Option } from 'commander';
import { invalidParameter } from '../engine/errors.js';
import { printable } from './errors.js';
import { type Io, println } from './io.js';

export type OutputFormat = 'text' | 'json' | 'yaml' | 'rst' | 'html';

export const DATA_FORMATS = ['text', 'json', 'yaml'] as const satisfies readonly OutputFormat[];

/** The option itself, for commander: no default, so a command can tell it from an alias (log's --format). */
export function outputOption(formats: readonly OutputFormat[] = DATA_FORMATS): Option {
  return new Option('-o, --output <format>', `${listed(formats)} (default: text)`);
}

function listed(formats: readonly string[]): string {
  return formats.length < 2
    ? (formats[0] ?? '')
    : `${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1] ?? ''}`;
}

/** The format asked for, or the refusal in one sentence (exit 3, as every other bad value). */
export function parseOutput(
  given: string | undefined,
  formats: readonly OutputFormat[] = DATA_FORMATS,
  flag = '--output',
): OutputFormat {
  const value = given ?? 'text';
  const known = formats.find((f) => f === value);
  if (known === undefined) {
    throw invalidParameter(`${flag} must be ${listed(formats)}; "${printable(value)}" is not.`);
  }
  return known;
}

/** Prints data as JSON or YAML (loaded only then: text output never pays for the YAML library). */
export async function printData(io: Io, format: 'json' | 'yaml', data: unknown): Promise<void> {
  if (format === 'json') {
    println(io.stdout, JSON.stringify(data, null, 2));
    return;
  }
  const { stringify } = await import('yaml');
  io.stdout.write(stringify(data, { lineWidth: 0 }));
}

/** Text through `text`; json and yaml print `data()`. */
export async function printAs(
  io: Io,
  format: OutputFormat,
  data: () => unknown,
  text: () => void,
): Promise<void> {
  if (format === 'json' || format === 'yaml') await printData(io, format, data());
  else text();
}

/** A run's -o: text (the task list on stdout) or json (the result on stdout, the progress on stderr). */
export function resultOption(): Option {
  return new Option(
    '-o, --output <format>',
    'text, or json: the result as JSON on stdout, the progress on stderr (default: text)',
  );
}
