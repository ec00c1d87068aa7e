// What a run's journal records, one JSON object per line: enough to audit it, resume it and turn
// it into the Recovery section of a postmortem.
import type { ActionKind } from './vocabulary/index.js';
import type { Answer } from './confirm.js';
import type { ErrorCode } from './errors.js';
import type { Facts } from './runbook.js';

export type StepOutcome = 'done' | 'nothing-to-do' | 'skipped';

export type JournalEvent =
  | {
      readonly type: 'start';
      readonly runId: string;
      readonly runbook: string;
      /** The parameters as given on the command line (text), so a resume validates them again. */
      readonly params: Readonly<Record<string, string | undefined>>;
      readonly operator: string;
      readonly host: string;
      readonly cluster: { readonly context: string; readonly server: string };
      readonly linode: { readonly apiUrl: string; readonly account: string | undefined };
      readonly target: {
        readonly kubeconfig?: string;
        readonly context?: string;
        readonly simulator?: string;
      };
      readonly dryRun: boolean;
    }
  | { readonly type: 'resume'; readonly operator: string; readonly host: string }
  | {
      readonly type: 'plan';
      readonly step: string;
      readonly title: string;
      readonly actions: ReadonlyArray<{
        readonly kind: ActionKind;
        readonly title: string;
        readonly equivalent: string;
        /** What it changes, as the operator was shown it (older journals lack them). */
        readonly before?: string;
        readonly after?: string;
        readonly destructive?: boolean;
      }>;
      readonly waits: readonly string[];
      readonly notes: readonly string[];
      /** The plan's warnings (no backup taken), repeated in the run's summary. */
      readonly warnings?: readonly string[];
      readonly facts: Facts;
    }
  | { readonly type: 'answer'; readonly step: string; readonly answer: Answer | 'wrong-name' }
  /** A manual step: who confirmed it done (the record's time says when), or that --yes left it out. */
  | {
      readonly type: 'manual';
      readonly step: string;
      readonly title: string;
      readonly outcome: 'confirmed' | 'skipped';
      readonly operator: string;
    }
  /**
   * An action found its object changed since the plan (409 Conflict, or what the plan read no longer
   * holds): nothing was overwritten; the step is planned again (a 'plan' record follows) and, when the
   * new plan differs from what was left to do, asked again.
   */
  | {
      readonly type: 'replan';
      readonly step: string;
      /** 1 for the first re-plan of this step, bounded by MAX_REPLANS. */
      readonly attempt: number;
      /** The action that met the change, and what changed. */
      readonly title: string;
      readonly reason: string;
    }
  | {
      readonly type: 'action';
      readonly step: string;
      readonly index: number;
      readonly kind: ActionKind;
      readonly title: string;
      readonly equivalent: string;
      /** not-carried-out: a dry run checked what it could of a change it cannot rehearse (Postgres), and left it undone. */
      readonly status: 'started' | 'done' | 'failed' | 'not-carried-out';
      readonly error?: string;
    }
  | {
      readonly type: 'wait';
      readonly step: string;
      readonly wait: string;
      readonly outcome: 'met' | 'stuck';
      readonly detail: string;
      readonly ms: number;
    }
  /** A wait still not over after the run's long-wait threshold: why, as the screen says it. */
  | {
      readonly type: 'waiting';
      readonly step: string;
      readonly wait: string;
      readonly why: string;
      readonly ms: number;
    }
  | { readonly type: 'verify'; readonly step: string; readonly ok: boolean; readonly detail: string }
  | { readonly type: 'step'; readonly step: string; readonly status: StepOutcome; readonly ms: number }
  | {
      readonly type: 'end';
      readonly status: 'finished' | ErrorCode;
      /** The signal that stopped the run (SIGINT, SIGHUP, SIGTERM); its status is then `interrupted`. */
      readonly signal?: string;
      readonly message?: string;
      readonly next?: string;
    };

/** A journal line: the event plus when it was written. */
export type JournalRecord = JournalEvent & { readonly time: string };

/** Where a run reports what it does; the journal file is one, a test can be another. */
export interface RunRecorder {
  record(event: JournalEvent): void;
}

export const noRecorder: RunRecorder = { record: () => undefined };

/** One recorder that hands every event to each of `recorders` (the journal, the chat notifier). */
export function combineRecorders(...recorders: readonly RunRecorder[]): RunRecorder {
  return {
    record(event) {
      for (const recorder of recorders) recorder.record(event);
    },
  };
}
