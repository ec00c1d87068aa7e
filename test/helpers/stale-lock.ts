// A cluster lock left behind by a run that died, planted in a simulated cluster, for the tests that
// take it over; and a node to run a small mutating runbook (node-uncordon) on while it is there.
import assert from 'node:assert/strict';
import type { SimHarness } from './sim.js';

/** A Lease time (RFC 3339 with microseconds) for `ms`. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** joe@laptop's lock on postgres-remount, last renewed `renewedMsAgo` ago (60 s lease). */
export function plantLease(h: SimHarness, renewedMsAgo: number): void {
  h.sim.world.kube.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: 'runbook-lock',
      namespace: 'default',
      annotations: {
        'runbook.dev/runbook': 'postgres-remount',
        'runbook.dev/run-id': '20210711-010100-postgres-remount-dead',
      },
    },
    spec: {
      holderIdentity: 'joe@laptop',
      leaseDurationSeconds: 60,
      acquireTime: microTime(Date.now() - renewedMsAgo - 60_000),
      renewTime: microTime(Date.now() - renewedMsAgo),
    },
  });
}

export const firstNode = (h: SimHarness): string => {
  const name = h.sim.world.kube.list('v1', 'Node')[0]?.metadata.name;
  assert.ok(name !== undefined);
  return name;
};
