// The cluster lock as a change (a coordination.k8s.io/v1 Lease): the run's bookkeeping, taken,
// renewed and released by the engine around the steps (src/engine/lock.ts), never planned by one.
import { type ActionDefinitions, builder } from './define.js';
import { SERVER_DRY_RUN } from './kubernetes.js';
import { kube } from '../permissions/permission.js';

/** Who holds the cluster lock, as a second operator is told. */
export interface LockHolder {
  /** operator@host */
  readonly identity: string;
  readonly runbook: string;
  readonly runId: string;
}

export interface LeaseAction {
  readonly kind: 'k8s.lease';
  readonly op: 'acquire' | 'renew' | 'release';
  readonly namespace: string;
  readonly name: string;
  readonly holder: LockHolder;
  readonly durationSeconds: number;
  /** The resourceVersion last read: an update fails (409) if anyone wrote the Lease since. */
  readonly resourceVersion?: string;
}

export const lease = builder<LeaseAction>('k8s.lease');

export const clusterLockActions = {
  'k8s.lease': {
    permissions: kube('get,create,update,delete', 'coordination.k8s.io', 'leases'),
    describe: (a) => ({
      title: `${a.op} the cluster lock ${a.namespace}/${a.name} for ${a.holder.identity}`,
      before: a.op === 'acquire' ? 'no live holder' : `held by ${a.holder.identity}`,
      after: a.op === 'release' ? 'free' : `held by ${a.holder.identity} for ${a.durationSeconds}s`,
      destructive: false,
      confirmName: undefined,
      equivalent: `kubectl -n ${a.namespace} ${a.op === 'release' ? 'delete' : 'apply -f'} lease/${a.name}`,
    }),
    preview: SERVER_DRY_RUN,
    perform: (a, w, options) => w.kube.lease(a, options),
  },
} satisfies ActionDefinitions<LeaseAction>;
