// Remembers, per API server, which kubeconfig file and cluster entry said how to trust it, so a TLS
// failure anywhere in a run can name the field to fix, not just the server that refused.
import { type TlsFailure, clockHint, presentedWithCode } from '../shared/tls.js';

export interface KubeTrust {
  readonly kubeconfig: string;
  readonly cluster: string;
  /** Where the CA came from: inline data, a file, or nowhere (the system's trusted CAs). */
  readonly ca:
    | { readonly from: 'data' }
    | { readonly from: 'file'; readonly path: string }
    | { readonly from: 'system' };
}

const trusts = new Map<string, KubeTrust>();

export function rememberTrust(server: string, trust: KubeTrust): void {
  trusts.set(server, trust);
}

/** "cluster lke1 in kubeconfig /path": the entry to edit, when connectKube saw it. */
const whereOf = (trust: KubeTrust | undefined): string =>
  trust === undefined ? 'the kubeconfig' : `cluster ${trust.cluster} in kubeconfig ${trust.kubeconfig}`;

/**
 * client-node refuses a plain http:// server unless insecure-skip-tls-verify is set: a kubeconfig
 * mistake, said as one (its own words are "HTTP protocol is not allowed when skipTLSVerify is not set").
 */
export function kubePlainHttpMessage(
  error: unknown,
  server: string,
): { message: string; next: string } | undefined {
  let current: unknown = error;
  let said = false;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    said ||= /HTTP protocol is not allowed/i.test(current.message);
    current = current.cause;
  }
  if (!said) return undefined;
  const where = whereOf(trusts.get(server));
  return {
    message: `The Kubernetes API at ${server} would be asked over plain http, which runbook refuses: server of ${where} is http://, and it sets no insecure-skip-tls-verify.`,
    next: `Set server of ${where} to the https:// address of the API server (LKE's kubeconfig has it).`,
  };
}

/** The sentence and the next step for a TLS failure talking to `server` while doing `doing`. */
export function kubeTlsMessage(
  failure: TlsFailure,
  server: string,
  doing: string,
): { message: string; next: string } {
  const trust = trusts.get(server);
  const where = whereOf(trust);
  const head = `The Kubernetes API at ${server} presents ${presentedWithCode(failure)}, so the connection was refused before runbook could ${doing}`;
  switch (failure.problem) {
    case 'unknown-authority': {
      const field =
        trust === undefined
          ? 'certificate-authority-data'
          : trust.ca.from === 'file'
            ? `the CA file ${trust.ca.path} (certificate-authority)`
            : 'certificate-authority-data';
      const why =
        trust?.ca.from === 'system'
          ? `${where} gives no certificate-authority-data, and no authority this machine trusts signed it`
          : `it is not signed by the CA in ${field} of ${where}`;
      const put =
        trust?.ca.from === 'file'
          ? `Put the cluster's CA certificate in ${trust.ca.path} (or certificate-authority-data of ${where})`
          : `Put the cluster's CA certificate in certificate-authority-data of ${where}`;
      return {
        message: `${head}: ${why}.`,
        next: `${put}: a fresh kubeconfig from Linode Cloud Manager has it for LKE; or check that server points at the right cluster.`,
      };
    }
    case 'wrong-host':
      return {
        message: `${head}: the certificate does not name the host in server of ${where}.`,
        next: `Set server of ${where} to a host name the certificate holds (or tls-server-name to the name it was issued for).`,
      };
    case 'expired':
    case 'not-yet-valid':
      return {
        message: `${head}: check that server of ${where} is the cluster's live endpoint.`,
        next: `The API server's certificate must be renewed by whoever runs the cluster (Linode support for LKE), or server of ${where} points at an old endpoint.${clockHint(failure)}`,
      };
    case 'not-tls':
      return {
        message: `${head}: server of ${where} says https but the API server speaks plain http there.`,
        next: `Check server of ${where}: the scheme and the port.`,
      };
    case 'refused':
      return {
        message: `${head}: the certificate chain is refused for ${where}.`,
        next: `Ask whoever runs the cluster for a valid certificate, then put its CA in certificate-authority-data of ${where}.`,
      };
  }
}
