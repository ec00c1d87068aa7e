// When the simulated world has nothing left to do: no timer pending on its clock, for a few turns
// of the event loop. On the instant clock of the dry-run twin, a state not reached by then is one
// nothing in the world will still bring.
import type { SimWorld } from './world.js';

/** Turns of the event loop with no pending timer before the world counts as quiet. */
const QUIET_TURNS = 3;
/** After this many turns of checking, look less often: a world that stays busy costs no CPU. */
const EAGER_TURNS = 200;

export interface QuietWatch {
  /** Resolves once the world is quiet, with a token that changes with any change of it. */
  quiet(signal: AbortSignal): Promise<string>;
  stop(): void;
}

export function watchQuiet(world: SimWorld): QuietWatch {
  let linodeChanges = 0;
  let faultChanges = 0;
  const stopLinode = world.linode.onChange(() => {
    linodeChanges += 1;
  });
  const stopFaults = world.faults.onChange(() => {
    faultChanges += 1;
  });
  const token = (): string => `${world.kube.resourceVersion()}:${linodeChanges}:${faultChanges}`;
  const turn = (eager: boolean): Promise<void> =>
    new Promise((resolve) => {
      if (eager) setImmediate(resolve);
      else setTimeout(resolve, 20);
    });
  return {
    async quiet(signal) {
      let idle = 0;
      let last = token();
      for (let turns = 0; ; turns++) {
        if (signal.aborted) throw signal.reason;
        await turn(turns < EAGER_TURNS);
        const now = token();
        idle = world.clock.pending() === 0 && now === last ? idle + 1 : 0;
        last = now;
        if (idle >= QUIET_TURNS) return now;
      }
    },
    stop() {
      stopLinode();
      stopFaults();
    },
  };
}
