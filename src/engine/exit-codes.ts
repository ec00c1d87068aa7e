// The single map from how a run ended to the process exit code, documented in the README.
import type { ErrorCode } from './errors.js';

export const EXIT_CODES: Readonly<Record<ErrorCode | 'ok', number>> = {
  ok: 0,
  'step-failed': 1,
  usage: 2,
  'invalid-parameter': 3,
  declined: 4,
  precondition: 5,
  'wait-timeout': 6,
  'cluster-unreachable': 7,
  'access-refused': 8,
  'linode-unreachable': 9,
  'needs-terminal': 10,
  locked: 14,
  'not-found': 15,
  'database-unreachable': 11,
  'database-full': 12,
  'backup-failed': 13,
  'journal-failed': 16,
  'tls-refused': 17,
  'not-configured': 18,
  'missing-permission': 19,
  internal: 70,
  interrupted: 130,
  hangup: 129,
  terminated: 143,
};

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code];
}

/** Each code in a few words, for `runbook --help` (the README's table says more). */
export const EXIT_CODE_MEANINGS: Readonly<Record<ErrorCode | 'ok', string>> = {
  ok: 'finished (or nothing to do)',
  'step-failed': 'a step failed or missed its goal',
  usage: 'usage: unknown command or runbook, bad flag',
  'invalid-parameter': 'a parameter value invalid or missing',
  declined: 'the operator answered no',
  precondition: 'the cluster is not in a state it handles',
  'wait-timeout': 'a wait timed out',
  'cluster-unreachable': 'the Kubernetes API is unreachable',
  'access-refused': 'access refused (Kubernetes or Linode)',
  'linode-unreachable': 'the Linode API is unreachable',
  'needs-terminal': 'needs a terminal to ask on (or --yes)',
  locked: 'another run holds the cluster lock',
  'not-found': 'what it was to check is not there',
  'database-unreachable': 'Postgres is unreachable',
  'database-full': 'Postgres: too many clients already',
  'backup-failed': 'a backup could not be written or verified',
  'journal-failed': 'the journal cannot be written',
  'tls-refused': 'TLS refused (CA, expiry, host name)',
  'not-configured': 'runbook serve: no RUNBOOK_SERVE_TOKEN nor RUNBOOK_SERVE_BASIC_AUTH',
  'missing-permission': 'a permission it needs is not granted (nothing done)',
  internal: 'a bug in runbook: please report it',
  interrupted: 'interrupted (Ctrl-C)',
  hangup: 'stopped by SIGHUP (terminal hung up)',
  terminated: 'stopped by SIGTERM',
};
