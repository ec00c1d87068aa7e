// The cluster lock as a coordination.k8s.io/v1 Lease. The server enforces nothing about expiry:
// creating an existing Lease (409 AlreadyExists) and updating a stale resourceVersion (409 Conflict)
// are what make it a lock; times are MicroTime (6 fractional digits).
import type { V1Lease } from '@kubernetes/client-node';
import type { LeaseAction, LockHolder } from '../../engine/vocabulary/index.js';
import { RunbookError } from '../../engine/errors.js';
import type { LeaseView } from '../../engine/ports.js';
import type { KubeClients } from './connect.js';
import { withRetries } from '../shared/retry.js';
import { isNotFound, kubeCall, kubeError, kubeRetryVerdict, statusOf } from './errors.js';

const ANNOTATION = {
  runbook: 'runbook.dev/runbook',
  runId: 'runbook.dev/run-id',
} as const;

/** client-node types MicroTime as a Date but may hand back the string it read. */
const asDate = (value: Date | string | undefined): Date | undefined =>
  value === undefined ? undefined : new Date(value);

export function leaseView(lease: V1Lease): LeaseView {
  const identity = lease.spec?.holderIdentity;
  const annotations = lease.metadata?.annotations ?? {};
  const holder: LockHolder | undefined =
    identity === undefined || identity === ''
      ? undefined
      : {
          identity,
          runbook: annotations[ANNOTATION.runbook] ?? '?',
          runId: annotations[ANNOTATION.runId] ?? '?',
        };
  return {
    holder,
    acquireTime: asDate(lease.spec?.acquireTime),
    renewTime: asDate(lease.spec?.renewTime),
    durationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
    resourceVersion: lease.metadata?.resourceVersion ?? '',
  };
}

export async function readLease(
  clients: KubeClients,
  namespace: string,
  name: string,
): Promise<LeaseView | undefined> {
  const coordination = clients.config.makeApiClient(clients.lib.CoordinationV1Api);
  try {
    return leaseView(
      await kubeCall(clients.identity.server, `read the cluster lock ${namespace}/${name}`, () =>
        coordination.readNamespacedLease({ namespace, name }),
      ),
    );
  } catch (error) {
    if (isNotFound((error as RunbookError).cause)) return undefined;
    throw error;
  }
}

function lost(action: LeaseAction): RunbookError {
  return new RunbookError(
    'locked',
    `Someone else wrote the cluster lock ${action.namespace}/${action.name} while this run tried to ${action.op} it.`,
    {
      next:
        '`kubectl -n ' + action.namespace + ' get lease ' + action.name + ' -o yaml` shows who holds it now.',
    },
  );
}

export async function writeLease(clients: KubeClients, action: LeaseAction, dryRun: boolean): Promise<void> {
  const { lib } = clients;
  const coordination = clients.config.makeApiClient(lib.CoordinationV1Api);
  const { namespace, name } = action;
  const now = new lib.V1MicroTime(Date.now());
  const body: V1Lease = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace,
      ...(action.resourceVersion === undefined ? {} : { resourceVersion: action.resourceVersion }),
      annotations: { [ANNOTATION.runbook]: action.holder.runbook, [ANNOTATION.runId]: action.holder.runId },
    },
    spec: {
      holderIdentity: action.op === 'release' ? '' : action.holder.identity,
      leaseDurationSeconds: action.durationSeconds,
      renewTime: now,
      ...(action.op === 'acquire' ? { acquireTime: now } : {}),
    },
  };
  const dry = dryRun ? 'All' : undefined;
  try {
    // A retry after a lost answer comes back 409, which acquire reads as 'already mine' or 'taken'.
    await withRetries(async () => {
      if (action.op === 'acquire' && action.resourceVersion === undefined) {
        await coordination.createNamespacedLease({ namespace, body, dryRun: dry });
      } else if (action.op === 'release') {
        await coordination.deleteNamespacedLease({
          namespace,
          name,
          body: {
            preconditions: { resourceVersion: action.resourceVersion },
            ...(dryRun ? { dryRun: ['All'] } : {}),
          },
        });
      } else {
        const current = await coordination.readNamespacedLease({ namespace, name });
        body.spec = { ...body.spec, acquireTime: action.op === 'acquire' ? now : current.spec?.acquireTime };
        await coordination.replaceNamespacedLease({ namespace, name, body, dryRun: dry });
      }
    }, kubeRetryVerdict);
  } catch (error) {
    const status = statusOf(error);
    if (status?.code === 409) throw lost(action);
    if (status?.code === 404 && action.op === 'release') return;
    throw kubeError(error, clients.identity.server, `${action.op} the cluster lock ${namespace}/${name}`);
  }
}
