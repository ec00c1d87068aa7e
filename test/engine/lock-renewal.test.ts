// The cluster lock is bounded too: a run whose renewals keep failing for longer than the lease is told
// it lost the lock (another operator may hold it by then), instead of acting on believing it still
// holds it. Renewals run on the simulator's clock here, so a 60 s lease passes in a fraction of a second.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectTarget } from '../../src/cli/target.js';
import type { RunbookError } from '../../src/engine/errors.js';
import { ClusterLock } from '../../src/engine/lock.js';
import { simWaitClock } from '../../src/sim/wait-clock.js';
import { startSimHarness } from '../helpers/sim.js';

describe('the cluster lock while the API server refuses its renewals', () => {
  it('is given up as lost after a lease without a renewal, naming why', async () => {
    const h = await startSimHarness('healthy', 600);
    try {
      const target = await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() });
      let lost: (error: RunbookError) => void = () => undefined;
      const lostLock = new Promise<RunbookError>((resolve) => (lost = resolve));
      const lock = await ClusterLock.acquire({
        read: target.read,
        write: target.write,
        holder: { identity: 'ops@laptop', runbook: 'postgres-remount', runId: 'run-1' },
        namespace: 'default',
        breakStale: false,
        confirmBreak: () => Promise.resolve(false),
        onLost: (error) => lost(error),
        clock: simWaitClock(h.sim.world.clock),
      });
      const taken = h.sim.world.kube.get('coordination.k8s.io/v1', 'Lease', 'default', 'runbook-lock');
      assert.ok(taken !== undefined, 'the lock was taken');
      h.sim.world.faults.add({
        kind: 'api-error',
        api: 'kubernetes',
        pathPattern: '/leases',
        status: 503,
        rate: 1,
      });
      const started = Date.now();
      const error = await lostLock;
      assert.equal(error.code, 'cluster-unreachable');
      assert.match(
        error.message,
        /^The cluster lock could not be renewed for over 60s \(.+\), so another operator may hold it now\.$/,
      );
      assert.ok(Date.now() - started < 60_000, 'told within a minute of real time');
      assert.ok(h.sim.requests.some((r) => r.path.includes('/leases') && r.status === 503));
      h.sim.world.faults.clear();
      await lock.release();
    } finally {
      await h.stop();
    }
  });
});
