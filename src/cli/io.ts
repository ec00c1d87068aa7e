// The process's side effects, injected (as zx does) so commands can be run and tested in-process.

export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** The environment, with .env already merged under it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export const println = (stream: NodeJS.WritableStream, line = ''): void => {
  stream.write(`${line}\n`);
};
