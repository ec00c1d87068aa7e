// A refused TLS handshake is classified where it enters, from the real errors of both clients
// (client-node over undici, api-v4's axios), and is tried once: the same certificate comes back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'node:https';
import { baseRequest } from '@linode/api-v4';
import { RunbookError } from '../../src/engine/errors.js';
import { connectKube } from '../../src/providers/kubernetes/index.js';
import { kubeCall } from '../../src/providers/kubernetes/errors.js';
import { linodeError, linodeRetryVerdict } from '../../src/providers/linode/errors.js';
import { isConnectionFailure, withRetries } from '../../src/providers/shared/retry.js';
import { tlsFailure } from '../../src/providers/shared/tls.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../src/sim/server.js';
import { type KeyPair, type TestPki, makeTestPki } from '../helpers/tls.js';

async function tlsSim(pair: KeyPair, ca: string): Promise<RunningSimulator> {
  const scenario = findScenario('healthy');
  assert.ok(scenario !== undefined);
  return startSimulator({ world: scenarioLoader(scenario), speed: 'instant', tls: { ...pair, ca } });
}

describe('TLS failures in the providers', () => {
  let pki: TestPki;
  let good: RunningSimulator;
  let expired: RunningSimulator;
  let wrongHost: RunningSimulator;
  before(async () => {
    pki = makeTestPki();
    [good, expired, wrongHost] = await Promise.all([
      tlsSim(pki.good, pki.ca),
      tlsSim(pki.expired, pki.ca),
      tlsSim(pki.wrongHost, pki.ca),
    ]);
  });
  after(async () => {
    await Promise.all([good.stop(), expired.stop(), wrongHost.stop()]);
    pki.cleanup();
  });

  /** Lists nodes through kubeCall with `sim`'s kubeconfig, counting the tries it made. */
  async function listNodes(
    sim: RunningSimulator,
    name: string,
    ca: string,
  ): Promise<{ tries: number; error: unknown }> {
    const text = sim
      .kubeconfig()
      .replace(
        /certificate-authority-data: \S+/,
        `certificate-authority-data: ${Buffer.from(ca).toString('base64')}`,
      );
    const kube = await connectKube({ kubeconfig: pki.file(name, text), env: {} });
    let tries = 0;
    try {
      await kubeCall(kube.identity.server, 'list nodes', () => {
        tries++;
        return kube.core.listNode();
      });
      return { tries, error: undefined };
    } catch (error) {
      return { tries, error };
    }
  }

  it('the right CA: Kubernetes answers over https', async () => {
    const { tries, error } = await listNodes(good, 'right.kubeconfig', pki.ca);
    assert.equal(error, undefined);
    assert.equal(tries, 1);
  });

  for (const [label, simOf, ca, problem, code] of [
    ['an unknown CA', () => good, () => pki.otherCa, 'unknown-authority', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['an expired certificate', () => expired, () => pki.ca, 'expired', 'CERT_HAS_EXPIRED'],
    ['a wrong host name', () => wrongHost, () => pki.ca, 'wrong-host', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const) {
    it(`Kubernetes, ${label}: tried once, exit code tls-refused, ${code} found under "fetch failed"`, async () => {
      const { tries, error } = await listNodes(simOf(), `${problem}.kubeconfig`, ca());
      assert.equal(tries, 1, 'a TLS refusal is not retried');
      assert.ok(error instanceof RunbookError);
      assert.equal(error.code, 'tls-refused');
      const cause = error.cause;
      assert.ok(cause instanceof Error);
      assert.equal(cause.message, 'fetch failed', 'the raw error really is undici’s');
      assert.equal(isConnectionFailure(cause), false);
      assert.deepEqual(
        { problem: tlsFailure(cause)?.problem, code: tlsFailure(cause)?.code },
        { problem, code },
      );
    });

    it(`Linode, ${label}: tried once, one sentence, tls-refused`, async () => {
      const sim = simOf();
      let tries = 0;
      // Node's trust is fixed at start; api-v4's axios gets the CA per request here instead.
      const agent = new Agent({ ca: ca() });
      const error = await withRetries(async () => {
        tries++;
        return baseRequest.get(`${sim.linodeApiUrl}/profile`, { httpsAgent: agent });
      }, linodeRetryVerdict).then(
        () => undefined,
        (e: unknown) => e,
      );
      agent.destroy();
      assert.equal(tries, 1, 'a TLS refusal is not retried');
      assert.equal(linodeRetryVerdict(error).retryable, false);
      assert.equal(tlsFailure(error)?.problem, problem);
      const said = linodeError(error, sim.linodeApiUrl, 'read the profile');
      assert.equal(said.code, 'tls-refused');
      assert.match(said.message, new RegExp(`^The Linode API at ${sim.linodeApiUrl} presents .*\\(${code}`));
      assert.ok(said.next !== undefined && said.next !== '');
    });
  }

  it('a wrong host name says which names the certificate holds, whichever client met it', async () => {
    const { error } = await listNodes(wrongHost, 'names.kubeconfig', pki.ca);
    assert.ok(error instanceof RunbookError);
    assert.match(error.message, /it names DNS:wrong-host\.example\.com, not 127\.0\.0\.1\)/);
  });
});
