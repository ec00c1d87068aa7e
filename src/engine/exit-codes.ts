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
  internal: 70,
  interrupted: 130,
  hangup: 129,
  terminated: 143,
};

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code];
}
