// The in-cluster path: runbook port-forwards to the Postgres pod through the Kubernetes API. Until the
// simulator carries pods/portforward to a local PostgreSQL, this checks the failure is one clear
// sentence naming the pod, fast, with no password in it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RunbookError } from '../../../src/engine/errors.js';
import { connectKube } from '../../../src/providers/kubernetes/index.js';
import { connectPostgres } from '../../../src/providers/postgres/index.js';
import { pgTestEnv } from '../../helpers/postgres.js';
import { type SimHarness, startSimHarness } from '../../helpers/sim.js';

describe('Postgres through a port-forward to the pod', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('finds the Ready pod of the deployment and says why the forward failed', async () => {
    const kube = await connectKube({ kubeconfig: h.kubeconfig, env: h.env() });
    const password = 'planted-forward-secret-7e2';
    await assert.rejects(
      connectPostgres({
        env: pgTestEnv({ PGPASSWORD: password }),
        kube,
        namespace: 'default',
        deployment: 'postgres',
      }),
      (e: unknown) =>
        e instanceof RunbookError &&
        e.code === 'database-unreachable' &&
        // The simulator accepts the forward but nothing listens behind this pod: the kubelet's words.
        /through the port-forward .*to pod (default\/)?postgres-[a-z0-9]+-[a-z0-9]+/.test(e.message) &&
        !`${e.message} ${e.next ?? ''}`.includes(password),
    );
  });

  it('a deployment that does not exist is named', async () => {
    const kube = await connectKube({ kubeconfig: h.kubeconfig, env: h.env() });
    await assert.rejects(
      connectPostgres({ env: pgTestEnv(), kube, namespace: 'default', deployment: 'no-such-db' }),
      (e: unknown) => e instanceof RunbookError && /no-such-db/.test(e.message),
    );
  });
});
