// Who may post to `runbook serve`: a bearer token (RUNBOOK_SERVE_TOKEN, Alertmanager's
// http_config.authorization) or HTTP basic credentials (RUNBOOK_SERVE_BASIC_AUTH=user:password, its
// http_config.basic_auth), either or both. What was sent and what is expected are hashed to
// equal-length digests first, so timingSafeEqual compares in constant time whatever was sent.
import { createHash, timingSafeEqual } from 'node:crypto';
import { RunbookError } from '../engine/errors.js';

export const TOKEN_VARIABLE = 'RUNBOOK_SERVE_TOKEN';
export const BASIC_AUTH_VARIABLE = 'RUNBOOK_SERVE_BASIC_AUTH';

export interface ServeCredentials {
  readonly bearer: string | undefined;
  /** `user:password`, as a basic Authorization header carries it once decoded. */
  readonly basic: string | undefined;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
const same = (sent: string, expected: string): boolean => timingSafeEqual(digest(sent), digest(expected));
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The credentials serve accepts, from its environment; neither set (or a malformed one) refuses to start. */
export function credentialsOf(env: Readonly<Record<string, string | undefined>>): ServeCredentials {
  const bearer = env[TOKEN_VARIABLE]?.trim() ?? '';
  const basic = env[BASIC_AUTH_VARIABLE] ?? '';
  if (basic !== '') {
    const colon = basic.indexOf(':');
    if (colon <= 0 || colon === basic.length - 1)
      throw new RunbookError(
        'not-configured',
        `${BASIC_AUTH_VARIABLE} must be user:password (a user name without a colon, then a password): runbook serve refuses to start.`,
        {
          next: `Set ${BASIC_AUTH_VARIABLE} to the username and password Alertmanager's http_config.basic_auth sends, joined by a colon.`,
        },
      );
  }
  if (bearer === '' && basic === '')
    throw new RunbookError(
      'not-configured',
      `${TOKEN_VARIABLE} is not set: runbook serve answers authenticated requests only, and refuses to start without a token (or ${BASIC_AUTH_VARIABLE}).`,
      {
        next: `Set ${TOKEN_VARIABLE} to a long random value, and give Alertmanager the same as http_config.authorization.credentials (or set ${BASIC_AUTH_VARIABLE}=user:password for http_config.basic_auth).`,
      },
    );
  return { bearer: bearer === '' ? undefined : bearer, basic: basic === '' ? undefined : basic };
}

/** The secret values to keep out of logs and posts. */
export const credentialSecrets = (credentials: ServeCredentials): string[] => {
  const basic = credentials.basic;
  const password = basic?.slice(basic.indexOf(':') + 1);
  return [credentials.bearer, basic, password].filter((s): s is string => s !== undefined);
};

/** Whether an Authorization header carries exactly `Bearer <token>`. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = header === undefined ? '' : (/^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? '');
  return same(sent, token) && sent !== '';
}

/** Whether an Authorization header carries exactly `Basic base64(user:password)`. */
export function basicMatches(header: string | undefined, userPassword: string): boolean {
  const encoded = header === undefined ? '' : (/^Basic\s+(\S+)$/i.exec(header.trim())?.[1] ?? '');
  const sent = BASE64.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  return same(sent, userPassword) && sent !== '';
}

/** Whether a request's Authorization header carries credentials serve accepts. */
export function authorized(header: string | undefined, credentials: ServeCredentials): boolean {
  // Both checked whatever the first says, so the time taken does not tell which one is configured.
  const bearer = bearerMatches(header, credentials.bearer ?? '');
  const basic = basicMatches(header, credentials.basic ?? '');
  return (bearer && credentials.bearer !== undefined) || (basic && credentials.basic !== undefined);
}
