// A simulator scenario and the terminals a suite opens on it: the simulator starts before the suite's
// tests; the last terminal is closed and the simulator stopped after them, whatever failed.
import { after, before } from 'node:test';
import { type SimHarness, startSimHarness } from './sim.js';
import { type Terminal, type TerminalSize, openTerminal } from './terminal.js';

export interface SimTerminals {
  /** The running simulator (started by the suite's `before`). */
  sim(): SimHarness;
  /** A terminal running `command` against the simulator; the one opened before it is closed first. */
  open(command: readonly string[], size?: TerminalSize): Terminal;
}

/** Call inside a `describe`: registers its `before` and `after`. */
export function simTerminals(scenario: string): SimTerminals {
  let harness: SimHarness | undefined;
  let terminal: Terminal | undefined;
  before(async () => {
    harness = await startSimHarness(scenario);
  });
  after(async () => {
    terminal?.close();
    await harness?.stop();
  });
  const sim = (): SimHarness => {
    if (harness === undefined) throw new Error(`the simulator of ${scenario} starts in the suite's before()`);
    return harness;
  };
  return {
    sim,
    open(command, size) {
      terminal?.close();
      terminal = openTerminal(command, sim().env(), size);
      return terminal;
    },
  };
}
