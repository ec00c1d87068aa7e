// A refused TLS handshake (unknown CA, none, expired, wrong host name) says which problem, which server
// and which kubeconfig field or CA file to fix, with exit 17: never "fetch failed", never a stack.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../src/sim/server.js';
import { type CliResult, cleanEnv, runCli } from '../helpers/cli.js';
import { type KeyPair, type TestPki, makeTestPki } from '../helpers/tls.js';

const TLS_REFUSED = EXIT_CODES['tls-refused'];
const CA_DATA = /certificate-authority-data: \S+/;

async function tlsSim(pair: KeyPair, ca: string): Promise<RunningSimulator> {
  const scenario = findScenario('healthy');
  assert.ok(scenario !== undefined);
  return startSimulator({
    world: scenarioLoader(scenario),
    speed: 'instant',
    tls: { key: pair.key, cert: pair.cert, ca },
  });
}

const firstLine = (result: CliResult): string => result.stderr.split('\n')[0] ?? '';

/** What every refusal must look like: exit 17, one sentence and a next step, no stack, nothing empty. */
function assertRefused(result: CliResult): string {
  assert.equal(result.exitCode, TLS_REFUSED, result.stderr + result.stdout);
  const line = firstLine(result);
  assert.match(line, /^✖ .+\.$/, 'one sentence');
  assert.match(result.stderr, /\n {2}→ \S/, 'a next step');
  assert.doesNotMatch(result.stderr, /\n\s+at \S/, 'no stack trace');
  assert.doesNotMatch(result.stderr, /fetch failed|Unexpected error|\(\)|: \.|: $/m, 'no empty reason');
  return line;
}

/** Requests that change something (the preflight's access reviews are questions, stored nowhere). */
const mutations = (sim: RunningSimulator): number =>
  sim.requests.filter(
    (r) => r.method !== 'GET' && r.api !== 'control' && !r.path.endsWith('/selfsubjectaccessreviews'),
  ).length;

describe('TLS refused', () => {
  let pki: TestPki;
  let good: RunningSimulator;
  let expired: RunningSimulator;
  let wrongHost: RunningSimulator;
  /** Sends its CA along with its certificate, as many proxies do: the chain ends self-signed. */
  let chained: RunningSimulator;
  /** The default simulator: plain http. */
  let plain: RunningSimulator;
  let caFile: string;
  let otherCaFile: string;

  before(async () => {
    pki = makeTestPki();
    good = await tlsSim(pki.good, pki.ca);
    expired = await tlsSim(pki.expired, pki.ca);
    wrongHost = await tlsSim(pki.wrongHost, pki.ca);
    const scenario = findScenario('healthy');
    assert.ok(scenario !== undefined);
    plain = await startSimulator({ world: scenarioLoader(scenario), speed: 'instant' });
    chained = await tlsSim({ key: pki.good.key, cert: pki.good.cert + pki.ca }, pki.ca);
    caFile = pki.file('ca.pem', pki.ca);
    otherCaFile = pki.file('other-ca.pem', pki.otherCa);
  });
  after(async () => {
    await Promise.all([good.stop(), expired.stop(), wrongHost.stop(), chained.stop(), plain.stop()]);
    pki.cleanup();
  });

  /** A kubeconfig for `sim` written to a file; `edit` changes its cluster entry's trust. */
  const kubeconfigFor = (sim: RunningSimulator, name: string, edit = (text: string) => text): string =>
    pki.file(name, edit(sim.kubeconfig()));
  /** The CLI's environment; NODE_EXTRA_CA_CERTS trusts the test CA unless `extra` empties it. */
  const env = (sim: RunningSimulator, kubeconfig: string, extra: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(
        cleanEnv({
          KUBECONFIG: kubeconfig,
          LINODE_API_URL: sim.linodeApiUrl,
          LINODE_TOKEN: sim.linodeToken,
          NODE_EXTRA_CA_CERTS: caFile,
          ...extra,
        }),
      ).filter(([, value]) => value !== ''),
    );

  // A read-only report that ends 0 on the healthy scenario (which has no NodeBalancer to check).
  it('the right CA in certificate-authority-data: the run works (exit 0)', async () => {
    const kubeconfig = kubeconfigFor(good, 'right-ca.kubeconfig');
    assert.match(readFileSync(kubeconfig, 'utf8'), /certificate-authority-data: /);
    assert.doesNotMatch(readFileSync(kubeconfig, 'utf8'), /insecure-skip-tls-verify/);
    const result = await runCli(['resource-limits-audit'], { env: env(good, kubeconfig) });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
  });

  it('the wrong CA in certificate-authority-data: unknown authority, naming the field, cluster and file', async () => {
    const kubeconfig = kubeconfigFor(good, 'wrong-ca.kubeconfig', (text) =>
      text.replace(CA_DATA, `certificate-authority-data: ${Buffer.from(pki.otherCa).toString('base64')}`),
    );
    const before = good.requests.length;
    const result = await runCli(['postgres-remount', '--yes'], { env: env(good, kubeconfig) });
    const line = assertRefused(result);
    assert.match(
      line,
      new RegExp(`Kubernetes API at ${good.url} presents a certificate signed by an unknown authority`),
    );
    assert.match(line, /UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    assert.match(
      line,
      new RegExp(
        `not signed by the CA in certificate-authority-data of cluster lke\\d+ in kubeconfig ${kubeconfig}\\.$`,
      ),
    );
    assert.equal(good.requests.length, before, 'no request got through the handshake');
  });

  it('a CA file (certificate-authority) that did not sign it: names the file', async () => {
    const kubeconfig = kubeconfigFor(good, 'ca-file.kubeconfig', (text) =>
      text.replace(CA_DATA, `certificate-authority: ${otherCaFile}`),
    );
    const line = assertRefused(await runCli(['nodebalancer-check'], { env: env(good, kubeconfig) }));
    assert.match(line, /unknown authority/);
    assert.match(
      line,
      new RegExp(
        `the CA file ${otherCaFile} \\(certificate-authority\\) of cluster lke\\d+ in kubeconfig ${kubeconfig}`,
      ),
    );
  });

  it('no CA at all: says the kubeconfig gives none and nothing this machine trusts signed it', async () => {
    const kubeconfig = kubeconfigFor(good, 'no-ca.kubeconfig', (text) =>
      text.replace(/ *certificate-authority-data: \S+\n/, ''),
    );
    assert.doesNotMatch(readFileSync(kubeconfig, 'utf8'), /certificate-authority|insecure/);
    // Without a CA in the kubeconfig, Node's own trust applies, NODE_EXTRA_CA_CERTS included.
    const result = await runCli(['postgres-remount', '--yes'], {
      env: env(good, kubeconfig, { NODE_EXTRA_CA_CERTS: '' }),
    });
    const line = assertRefused(result);
    assert.match(
      line,
      new RegExp(`Kubernetes API at ${good.url} presents a certificate signed by an unknown authority`),
    );
    assert.match(
      line,
      new RegExp(`cluster lke\\d+ in kubeconfig ${kubeconfig} gives no certificate-authority-data`),
    );
    assert.match(
      result.stderr,
      /→ Put the cluster's CA certificate in certificate-authority-data of cluster lke\d+/,
    );
    assert.equal(mutations(good), 0);
  });

  it('no CA, facing a chain that ends in its self-signed CA: says self-signed', async () => {
    const kubeconfig = kubeconfigFor(chained, 'chain-no-ca.kubeconfig', (text) =>
      text.replace(/ *certificate-authority-data: \S+\n/, ''),
    );
    const result = await runCli(['nodebalancer-check'], {
      env: env(chained, kubeconfig, { NODE_EXTRA_CA_CERTS: '' }),
    });
    const line = assertRefused(result);
    assert.match(
      line,
      new RegExp(
        `Kubernetes API at ${chained.url} presents a certificate chain ending in a self-signed authority that is not trusted \\(SELF_SIGNED_CERT_IN_CHAIN\\)`,
      ),
    );
    assert.match(
      line,
      new RegExp(`cluster lke\\d+ in kubeconfig ${kubeconfig} gives no certificate-authority-data`),
    );
  });

  it('an expired server certificate: says expired, and who must renew it', async () => {
    const kubeconfig = kubeconfigFor(expired, 'expired.kubeconfig');
    const before = expired.requests.length;
    const result = await runCli(['postgres-remount', '--yes'], { env: env(expired, kubeconfig) });
    const line = assertRefused(result);
    assert.match(
      line,
      new RegExp(`Kubernetes API at ${expired.url} presents an expired certificate \\(CERT_HAS_EXPIRED\\)`),
    );
    assert.match(line, new RegExp(`cluster lke\\d+ in kubeconfig ${kubeconfig}`));
    assert.match(result.stderr, /→ The API server's certificate must be renewed/);
    assert.equal(expired.requests.length, before);
  });

  it('a certificate for another host name: names what it holds and the server field to fix', async () => {
    const kubeconfig = kubeconfigFor(wrongHost, 'wrong-host.kubeconfig');
    const before = wrongHost.requests.length;
    const result = await runCli(['postgres-remount', '--yes'], { env: env(wrongHost, kubeconfig) });
    const line = assertRefused(result);
    assert.match(
      line,
      new RegExp(`Kubernetes API at ${wrongHost.url} presents a certificate issued for another host name`),
    );
    assert.match(line, /DNS:wrong-host\.example\.com/);
    assert.match(line, /ERR_TLS_CERT_ALTNAME_INVALID/);
    assert.match(
      line,
      new RegExp(`does not name the host in server of cluster lke\\d+ in kubeconfig ${kubeconfig}\\.$`),
    );
    assert.match(result.stderr, /→ Set server of cluster lke\d+ .* tls-server-name/);
    assert.equal(wrongHost.requests.length, before);
  });

  it('https to a server that speaks plain http: says there is no TLS there', async () => {
    const kubeconfig = kubeconfigFor(plain, 'https-to-http.kubeconfig', (text) =>
      text.replace('server: http://', 'server: https://'),
    );
    const line = assertRefused(await runCli(['nodebalancer-check'], { env: env(plain, kubeconfig) }));
    assert.match(line, /presents plain http, not TLS \(ERR_SSL_WRONG_VERSION_NUMBER\)/);
    assert.match(line, new RegExp(`server of cluster lke\\d+ in kubeconfig ${kubeconfig} says https`));
  });

  it('a plain http:// server with a CA and no insecure-skip-tls-verify: refused, naming server to fix', async () => {
    const kubeconfig = kubeconfigFor(good, 'http-with-ca.kubeconfig', (text) =>
      text.replace('server: https://', 'server: http://'),
    );
    const line = assertRefused(await runCli(['nodebalancer-check'], { env: env(good, kubeconfig) }));
    assert.match(line, /would be asked over plain http, which runbook refuses/);
    assert.match(line, new RegExp(`server of cluster lke\\d+ in kubeconfig ${kubeconfig} is http://`));
  });

  describe('the Linode API', () => {
    it('trusted through NODE_EXTRA_CA_CERTS in the environment: the run works (exit 0)', async () => {
      const kubeconfig = kubeconfigFor(good, 'linode-ok.kubeconfig');
      const result = await runCli(['resource-limits-audit'], { env: env(good, kubeconfig) });
      assert.equal(result.exitCode, 0, result.stderr + result.stdout);
      assert.ok(
        good.requests.some((r) => r.api === 'linode'),
        'the Linode API was asked over https',
      );
    });

    it('without NODE_EXTRA_CA_CERTS: unknown authority, and how to add the CA', async () => {
      const kubeconfig = kubeconfigFor(good, 'linode-no-ca.kubeconfig');
      const before = mutations(good);
      const result = await runCli(['postgres-remount', '--yes'], {
        env: env(good, kubeconfig, { NODE_EXTRA_CA_CERTS: '' }),
      });
      const line = assertRefused(result);
      assert.match(
        line,
        new RegExp(
          `Linode API at ${good.linodeApiUrl} presents a certificate signed by an unknown authority`,
        ),
      );
      assert.match(line, /NODE_EXTRA_CA_CERTS is not set/);
      assert.match(result.stderr, /→ .*NODE_EXTRA_CA_CERTS=<PEM file of that CA>.*never from \.env/);
      assert.equal(mutations(good), before);
    });

    it('without NODE_EXTRA_CA_CERTS, facing a self-signed chain: says so, not just "(SELF_SIGNED_CERT_IN_CHAIN)"', async () => {
      const kubeconfig = kubeconfigFor(chained, 'linode-chain.kubeconfig');
      const result = await runCli(['nodebalancer-check'], {
        env: env(chained, kubeconfig, { NODE_EXTRA_CA_CERTS: '' }),
      });
      const line = assertRefused(result);
      assert.match(
        line,
        new RegExp(
          `Linode API at ${chained.linodeApiUrl} presents a certificate chain ending in a self-signed authority that is not trusted \\(SELF_SIGNED_CERT_IN_CHAIN\\)`,
        ),
      );
      assert.match(line, /NODE_EXTRA_CA_CERTS is not set/);
      assert.match(result.stderr, /→ .*NODE_EXTRA_CA_CERTS=/);
    });

    it('with NODE_EXTRA_CA_CERTS naming an unrelated CA: names that file', async () => {
      const kubeconfig = kubeconfigFor(good, 'linode-other-ca.kubeconfig');
      const line = assertRefused(
        await runCli(['nodebalancer-check'], {
          env: env(good, kubeconfig, { NODE_EXTRA_CA_CERTS: otherCaFile }),
        }),
      );
      assert.match(line, /Linode API at .* unknown authority/);
      assert.match(line, new RegExp(`not signed by a CA in NODE_EXTRA_CA_CERTS \\(${otherCaFile}\\)`));
    });

    it('an expired certificate: says expired, naming LINODE_API_URL to check', async () => {
      const kubeconfig = kubeconfigFor(good, 'linode-expired.kubeconfig');
      const result = await runCli(['nodebalancer-check'], {
        env: env(good, kubeconfig, { LINODE_API_URL: expired.linodeApiUrl }),
      });
      const line = assertRefused(result);
      assert.match(
        line,
        new RegExp(
          `Linode API at ${expired.linodeApiUrl} presents an expired certificate \\(CERT_HAS_EXPIRED\\)`,
        ),
      );
      assert.match(result.stderr, /→ Check LINODE_API_URL/);
    });

    it('https to a server that speaks plain http: says there is no TLS there', async () => {
      const kubeconfig = kubeconfigFor(good, 'linode-https-to-http.kubeconfig');
      const linodeApiUrl = plain.linodeApiUrl.replace('http://', 'https://');
      const line = assertRefused(
        await runCli(['nodebalancer-check'], {
          env: env(good, kubeconfig, { LINODE_API_URL: linodeApiUrl }),
        }),
      );
      assert.match(line, new RegExp(`Linode API at ${linodeApiUrl} presents plain http, not TLS`));
      assert.match(line, /LINODE_API_URL says https but the server speaks plain http\.$/);
    });

    it('a certificate for another host name: names LINODE_API_URL', async () => {
      const kubeconfig = kubeconfigFor(good, 'linode-wrong-host.kubeconfig');
      const result = await runCli(['nodebalancer-check'], {
        env: env(good, kubeconfig, { LINODE_API_URL: wrongHost.linodeApiUrl }),
      });
      const line = assertRefused(result);
      assert.match(
        line,
        new RegExp(
          `Linode API at ${wrongHost.linodeApiUrl} presents a certificate issued for another host name`,
        ),
      );
      assert.match(line, /it names DNS:wrong-host\.example\.com, not 127\.0\.0\.1\)/);
      assert.match(line, /does not name the host in LINODE_API_URL\.$/);
    });
  });
});
