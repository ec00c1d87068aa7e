// `runbook serve` in a pod has no kubeconfig: it finds the API server as client-go does, from
// KUBERNETES_SERVICE_HOST/PORT, the mounted ServiceAccount token and CA. Tried against the simulator
// over https with a test CA, as a pod meets its API server.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectKube, createKubeReader } from '../../src/providers/kubernetes/index.js';
import { findScenario } from '../../src/sim/scenarios/index.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../src/sim/server.js';
import { type TestPki, makeTestPki } from '../helpers/tls.js';

describe('in-cluster configuration (no kubeconfig, a ServiceAccount token)', () => {
  let pki: TestPki;
  let sim: RunningSimulator;
  let home: string;
  let accountDir: string;
  const savedHome = process.env.HOME;
  const token = 'in-cluster-token-7f3a';

  before(async () => {
    pki = makeTestPki();
    const scenario = findScenario('healthy');
    assert.ok(scenario !== undefined);
    sim = await startSimulator({
      world: scenarioLoader(scenario),
      speed: 'instant',
      tls: { ...pki.good, ca: pki.ca },
    });
    // No ~/.kube/config: the developer's own must not be found instead.
    home = mkdtempSync(join(tmpdir(), 'runbook-home-'));
    process.env.HOME = home;
    accountDir = join(home, 'serviceaccount');
    mkdirSync(accountDir);
    writeFileSync(join(accountDir, 'token'), token);
    writeFileSync(join(accountDir, 'ca.crt'), pki.ca);
    writeFileSync(join(accountDir, 'namespace'), 'ops');
  });
  after(async () => {
    process.env.HOME = savedHome;
    await sim.stop();
    pki.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  const podEnv = (): Record<string, string> => ({
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: new URL(sim.url).port,
  });

  it('reads the cluster over https, trusting the mounted CA and sending the mounted token', async () => {
    const kube = await connectKube({ env: podEnv(), serviceAccountDir: accountDir });
    assert.equal(kube.identity.server, sim.url);
    const nodes = await createKubeReader(kube).listNodes();
    assert.ok(nodes.length > 0);
    const request: { headers: Record<string, string> } = { headers: {} };
    await kube.config.applyToHTTPSOptions(request);
    assert.equal(request.headers.Authorization, `Bearer ${token}`);
  });

  it('a kubeconfig, when one is named, still wins over the pod', async () => {
    await assert.rejects(
      connectKube({ env: { ...podEnv(), KUBECONFIG: join(home, 'missing') }, serviceAccountDir: accountDir }),
      /No kubeconfig found at .*missing/,
    );
  });

  it('without the mounted token it is not in a pod: the usual "no kubeconfig" answer', async () => {
    await assert.rejects(
      connectKube({ env: podEnv(), serviceAccountDir: join(home, 'nothing-mounted') }),
      /No kubeconfig found/,
    );
  });
});
