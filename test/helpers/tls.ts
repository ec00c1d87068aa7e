// Makes, at test time with the system openssl, the certificates a TLS failure needs: a test CA, a good
// server certificate for 127.0.0.1, an expired one, one for another host name, and an unrelated CA.
// Nothing is checked in, so nothing expires in the repository.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestPki {
  /** The CA that signed every server certificate below (PEM). */
  readonly ca: string;
  /** A CA that signed nothing here: trusting it is trusting the wrong authority (PEM). */
  readonly otherCa: string;
  /** Valid now, for IP 127.0.0.1. */
  readonly good: KeyPair;
  /** For IP 127.0.0.1, but its validity ended before the test started. */
  readonly expired: KeyPair;
  /** Valid now, but only for wrong-host.example.com. */
  readonly wrongHost: KeyPair;
  /** A folder for the files a test writes (kubeconfigs, a CA file), removed by cleanup(). */
  readonly dir: string;
  /** Writes `content` to `name` in dir and returns its path. */
  file(name: string, content: string): string;
  cleanup(): void;
}

const OPENSSL = '/usr/bin/openssl';
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: readonly string[]): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

/** A server certificate signed by `ca`, for `san`; `validity` is openssl x509's date arguments. */
function makeServer(dir: string, name: string, san: string, validity: readonly string[]): KeyPair {
  openssl(dir, [
    'req',
    '-new',
    ...EC,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.crt`,
    ...validity,
  ]);
  return {
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.crt`), 'utf8'),
  };
}

/** An expired certificate: OpenSSL 3.0 takes a negative -days; 3.4+ also has -not_before/-not_after. */
function makeExpired(dir: string): KeyPair {
  try {
    return makeServer(dir, 'expired', 'IP:127.0.0.1', ['-days', '-1']);
  } catch {
    return makeServer(dir, 'expired', 'IP:127.0.0.1', [
      '-not_before',
      '20200101000000Z',
      '-not_after',
      '20200102000000Z',
    ]);
  }
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-tls-'));
  makeCa(dir, 'ca');
  makeCa(dir, 'other-ca');
  const good = makeServer(dir, 'good', 'IP:127.0.0.1', ['-days', '2']);
  const expired = makeExpired(dir);
  const wrongHost = makeServer(dir, 'wrong-host', 'DNS:wrong-host.example.com', ['-days', '2']);
  return {
    ca: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    otherCa: readFileSync(join(dir, 'other-ca.crt'), 'utf8'),
    good,
    expired,
    wrongHost,
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
