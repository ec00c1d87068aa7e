// A --load folder that cannot be read, in one sentence: shared by `sim start` and `train`.
import { type RunbookError, invalidParameter } from '../engine/errors.js';

export function unreadableLoad(load: string, error: unknown): RunbookError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'there is no such folder'
      : code === 'ENOTDIR'
        ? 'it is not a folder'
        : code === 'EACCES'
          ? 'it cannot be read'
          : error instanceof Error
            ? error.message
            : String(error);
  return invalidParameter(`--load ${load}: ${why}.`);
}
