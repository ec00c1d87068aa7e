// The reader or writer of a provider a run did not connect (a Postgres-only run has no Linode, and a
// Postgres report given a database URL no cluster): any use is a bug, stopped with a sentence naming
// it, never a request sent nowhere.
import { RunbookError } from '../engine/errors.js';

export function absentProvider<T extends object>(what: string, why: string): T {
  return new Proxy({} as T, {
    get(_target, name) {
      // Not a promise, and nothing to print: only method calls are refused.
      if (typeof name === 'symbol' || name === 'then' || name === 'toJSON') return undefined;
      return () => {
        throw new RunbookError('internal', `A step asked ${what} for ${name}, but ${why}; nothing was sent.`);
      };
    },
  });
}
