// How long each night took the team, as its postmortem tells it: the yardstick a trainee's time to
// recovery is set against. Undefined where the postmortem does not say.

export interface RealRecovery {
  readonly minutes: number | undefined;
  /** Where in the postmortem the figure comes from, or why there is none. */
  readonly source: string;
}

export const REAL_RECOVERY: Readonly<Record<string, RealRecovery>> = {
  '2020-12-11-postgres-conn-surge': {
    minutes: undefined,
    source: 'noticed at 13:24 UTC; the end is not recorded',
  },
  '2020-12-11-all-services-outage': {
    minutes: undefined,
    source: 'began 19:55 UTC; the end is not recorded',
  },
  '2021-01-10-primary-kubernetes-node-outage': {
    minutes: 26,
    source: '"lasted from around 20:20 to 20:46 UTC"',
  },
  '2021-01-12-site-cpu-ram-exhaustion': {
    minutes: 7,
    source: 'Postgres recovery "taking a little longer (~7 minutes)"',
  },
  '2021-01-30-nodebalancer-fails-memory': {
    minutes: undefined,
    source: 'began around 14:30 UTC; the end is not recorded',
  },
  '2021-07-11-cascading-node-failures': {
    minutes: 369,
    source:
      'surge at 00:27 UTC, stateful services still down at 06:36 UTC, waiting on Linode to unlock volumes',
  },
};
