// A label's value goes into a command line a person pastes into a shell: quoted when it holds
// anything but plain characters, and never able to pass for a flag of its own.

const PLAIN = /^[A-Za-z0-9._/:=@-]+$/;
// C0 and C1 controls, DEL and the bidirectional overrides: no shell quoting makes a pasted newline or
// escape sequence safe, nor a line whose text is shown in another order than the shell reads it.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

export const hasControlCharacters = (value: string): boolean => CONTROL.test(value);

/** One shell word that the shell turns back into exactly `value`. */
export function shellWord(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `--flag value`, or `--flag=value` when the value starts with '-' and would otherwise read as a flag. */
export function shellOption(flag: string, value: string): string {
  return value.startsWith('-') ? `${flag}=${shellWord(value)}` : `${flag} ${shellWord(value)}`;
}
