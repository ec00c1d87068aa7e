// How redis-recover restarts a StatefulSet's Redis: its pods that are not Ready are deleted, one
// graceful delete each, and its controller makes them again under the same names. A rollout restart
// would not do: the StatefulSet controller's rolling update waits for every pod to be Running and
// Ready before it replaces one (OrderedReady), so a crash-looping Redis would never be replaced.
import {
  type Action,
  type V1Pod,
  type Wait,
  type WorkloadView,
  deletePod,
  podReplaced,
  podState,
} from '../../src/authoring.js';
import { kindName, notReady } from './state.js';

/** What Redis gets to save its data and exit on SIGTERM before it is killed. */
const GRACE_SECONDS = 30;

export function replacePods(
  view: WorkloadView,
  pods: readonly V1Pod[],
  timeoutSeconds: number,
): { actions: Action[]; waits: Wait[]; notes: string[] } {
  const actions: Action[] = [];
  const waits: Wait[] = [];
  for (const pod of notReady(pods)) {
    const name = pod.metadata?.name;
    const uid = pod.metadata?.uid;
    if (name === undefined || uid === undefined) continue;
    const { namespace } = view.ref;
    actions.push(
      deletePod({ namespace, name, uid, gracePeriodSeconds: GRACE_SECONDS, reason: podState(pod) }),
    );
    waits.push(
      podReplaced({ namespace, name, uid, labelSelector: view.selector, timeoutMs: timeoutSeconds * 1000 }),
    );
  }
  const notes =
    actions.length === 0
      ? []
      : [
          `${kindName(view.ref)}: its pods that are not Ready are deleted and made again by its controller ` +
            '(a rollout restart would wait for them to become Ready first)',
        ];
  return { actions, waits, notes };
}
