// How long each night took the team, as its postmortem tells it (docs/postmortems): the yardstick a
// trainee's time to recovery is set against. What a postmortem does not say stays unsaid here.

export interface RealRecovery {
  /** When the trouble began or was noticed, as the postmortem words it. */
  readonly began: { readonly at: string; readonly how: 'began' | 'was noticed' };
  /** When it ended; undefined where the postmortem does not say. */
  readonly ended: string | undefined;
  /** The last time the postmortem says it was still not over, when it never says it ended. */
  readonly stillDownAt?: string;
  /** How long it took, in minutes; undefined where the postmortem does not say. */
  readonly minutes: number | undefined;
  /** `at least`: the postmortem gives only a lower bound (it was still not over at the last time it names). */
  readonly bound?: 'about' | 'at least';
  /** The postmortem's own words on how long it took or how it ended, quoted verbatim. */
  readonly quote: string;
}

export const REAL_RECOVERY: Readonly<Record<string, RealRecovery>> = {
  '2020-12-11-postgres-conn-surge': {
    began: { at: '13:24 UTC', how: 'was noticed' },
    ended: undefined,
    minutes: undefined,
    quote:
      'resolved by taking down Postgres, remounting the associated volume, and bringing it back up again',
  },
  '2020-12-11-all-services-outage': {
    began: { at: '19:55 UTC', how: 'began' },
    ended: undefined,
    minutes: undefined,
    quote: 'we restarted core services one by one until they stabilised',
  },
  '2021-01-10-primary-kubernetes-node-outage': {
    began: { at: '20:20 UTC', how: 'began' },
    ended: '20:46 UTC',
    minutes: 26,
    bound: 'about',
    quote: 'The incident lasted overall around 26 minutes',
  },
  '2021-01-12-site-cpu-ram-exhaustion': {
    began: { at: '03:01 UTC', how: 'began' },
    ended: undefined,
    minutes: 7,
    bound: 'about',
    quote:
      'did 80 smaller updates. This led to much higher efficiency with a cost of taking a little longer (~7 minutes)',
  },
  '2021-01-30-nodebalancer-fails-memory': {
    began: { at: '14:30 UTC', how: 'began' },
    ended: undefined,
    minutes: undefined,
    quote: 'The incident resolved itself upstream at Linode',
  },
  '2021-07-11-cascading-node-failures': {
    began: { at: '00:27 UTC', how: 'began' },
    ended: undefined,
    stillDownAt: '06:36 UTC',
    minutes: 369,
    bound: 'at least',
    quote: 'it took multiple hours for this to be resolved',
  },
};

/** The night in one sentence: when it began, when it ended or how long it took, in the postmortem's words. */
export function nightSentence(real: RealRecovery | undefined): string {
  if (real === undefined) return 'That night has no postmortem to measure against.';
  const began = `That night ${real.began.how} at ${real.began.at}`;
  const span =
    real.ended !== undefined
      ? ` and ended at ${real.ended}`
      : real.stillDownAt !== undefined
        ? ` and was still not over at ${real.stillDownAt}`
        : '';
  const took = real.minutes === undefined ? '' : `: ${real.bound ?? 'about'} ${String(real.minutes)} minutes`;
  const unsaid = [
    ...(real.ended === undefined ? ['when it ended'] : []),
    ...(real.minutes === undefined ? ['how long it took'] : []),
  ];
  const gap = unsaid.length === 0 ? '' : ` The postmortem does not record ${unsaid.join(' or ')}.`;
  return `${began}${span}${took} ("${real.quote}").${gap}`;
}
