// Recognises a refused TLS handshake under any number of `cause`s (undici's "fetch failed", axios'
// error) and says in words which problem it was: both providers share this one table.

export type TlsProblem =
  'unknown-authority' | 'expired' | 'not-yet-valid' | 'wrong-host' | 'not-tls' | 'refused';

export interface TlsFailure {
  readonly problem: TlsProblem;
  /** Node's code for it, e.g. CERT_HAS_EXPIRED: what a search engine knows. */
  readonly code: string;
  /** What the server presented, as a phrase: "an expired certificate". */
  readonly presented: string;
  /** For a wrong host name, what the certificate names instead ("DNS:x.example, not 10.0.0.1"). */
  readonly names?: string;
}

/** "an expired certificate (CERT_HAS_EXPIRED)", with the names a wrong-host certificate holds. */
export const presentedWithCode = (failure: TlsFailure): string =>
  `${failure.presented} (${failure.code}${failure.names === undefined ? '' : `: it names ${failure.names}`})`;

const TABLE: Readonly<Record<string, { problem: TlsProblem; presented: string }>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    problem: 'unknown-authority',
    presented: 'a certificate signed by an unknown authority',
  },
  UNABLE_TO_GET_ISSUER_CERT: {
    problem: 'unknown-authority',
    presented: 'a certificate signed by an unknown authority',
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    problem: 'unknown-authority',
    presented: 'a certificate signed by an unknown authority',
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    problem: 'unknown-authority',
    presented: 'a certificate chain ending in a self-signed authority that is not trusted',
  },
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    problem: 'unknown-authority',
    presented: 'a self-signed certificate that is not trusted',
  },
  CERT_UNTRUSTED: { problem: 'unknown-authority', presented: 'a certificate that is not trusted' },
  CERT_SIGNATURE_FAILURE: {
    problem: 'unknown-authority',
    presented: 'a certificate whose signature does not verify',
  },
  CERT_HAS_EXPIRED: { problem: 'expired', presented: 'an expired certificate' },
  CERT_NOT_YET_VALID: { problem: 'not-yet-valid', presented: 'a certificate that is not valid yet' },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    problem: 'wrong-host',
    presented: 'a certificate issued for another host name',
  },
  CERT_REVOKED: { problem: 'refused', presented: 'a revoked certificate' },
  CERT_REJECTED: { problem: 'refused', presented: 'a certificate marked as rejected' },
  INVALID_CA: { problem: 'refused', presented: 'a certificate chain with an invalid authority' },
  ERR_SSL_WRONG_VERSION_NUMBER: { problem: 'not-tls', presented: 'plain http, not TLS' },
};

interface TlsErrorLike {
  code?: unknown;
  message?: unknown;
  host?: unknown;
  cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } };
}

/** The TLS failure somewhere in `error`'s cause chain, or undefined when it is no TLS failure. */
export function tlsFailure(error: unknown): TlsFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const like = current as TlsErrorLike;
    const code = codeOf(like);
    const entry = code === undefined ? undefined : TABLE[code];
    if (code !== undefined && entry !== undefined) {
      const names = entry.problem === 'wrong-host' ? namesIn(current) : undefined;
      return {
        problem: entry.problem,
        code,
        presented: entry.presented,
        ...(names === undefined ? {} : { names }),
      };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Node's https (axios) says EPROTO where undici says ERR_SSL_WRONG_VERSION_NUMBER: one name for both. */
function codeOf(error: TlsErrorLike): string | undefined {
  if (typeof error.code !== 'string') return undefined;
  if (
    error.code === 'EPROTO' &&
    typeof error.message === 'string' &&
    /wrong version number/i.test(error.message)
  )
    return 'ERR_SSL_WRONG_VERSION_NUMBER';
  return error.code;
}

/**
 * For a wrong host name: the names the certificate does hold, from Node's error (which keeps the
 * certificate) wherever it sits in the chain; axios copies the code to its own error, not the rest.
 */
function namesIn(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const like = current as TlsErrorLike;
    const alt = like.cert?.subjectaltname;
    const cn = like.cert?.subject?.CN;
    const held =
      typeof alt === 'string' && alt !== ''
        ? alt
        : typeof cn === 'string' && cn !== ''
          ? `CN=${cn}`
          : undefined;
    if (held !== undefined) return typeof like.host === 'string' ? `${held}, not ${like.host}` : held;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether the failure may be this machine's fault rather than the server's: its clock. */
export const clockHint = (failure: TlsFailure): string =>
  failure.problem === 'expired' || failure.problem === 'not-yet-valid'
    ? " If this machine's clock is wrong, set it right first."
    : '';
