// volume-reattach: stateful workloads whose pods cannot mount their Linode volumes after a node
// recycle. The recovery of 2021-07-11, typed by hand that night and confirmed by Linode Support:
// scale the deployments down, detach ("unmount") the volumes at Linode, scale them back up.
import type { V1Pod } from '@kubernetes/client-node';
import {
  type Action,
  type Wait,
  detachVolume,
  forceDeletePod,
  podsGone,
  scale,
  volumeDetached,
  volumeReleased,
  workloadReady,
} from '../src/engine/vocabulary/index.js';
import { preconditionFailed } from '../src/engine/errors.js';
import { type ParamsOf, integer, k8sName } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import type { StepContext } from '../src/engine/typed-steps.js';
import type { Readers } from '../src/engine/ports.js';
import { type ReattachFacts, findAffected } from './volume-reattach/find.js';
import { checkMounted } from './volume-reattach/verify.js';

const reattachParams = {
  namespace: k8sName({
    description: 'namespace of the stateful workloads',
    default: 'default',
    label: true,
  }),
  workload: k8sName({ description: 'only this Deployment or StatefulSet (default: every affected one)' }),
  detachTimeout: integer({
    description: 'seconds to wait for Linode to detach each volume',
    default: 300,
    min: 5,
    max: 3600,
  }),
};

export type ReattachParams = ParamsOf<typeof reattachParams>;

const MINUTE = 60_000;

/** Each affected workload back to the replica count it had (1 when it was found at 0). */
async function scaleBack({ facts, read }: StepContext<ReattachParams, ReattachFacts>) {
  const actions: Action[] = [];
  for (const w of facts.workloads) {
    const { namespace, name } = w.target;
    const live = (await read.kube.listClaimUsers(namespace)).find(
      (u) => u.target.kind === w.target.kind && u.target.name === name,
    );
    if (live !== undefined && live.replicas !== w.replicas)
      actions.push(scale(w.target, live.replicas, w.replicas));
  }
  return { actions };
}

/**
 * Pods of the workload that still exist once it is at 0. One terminating on a node that is gone or
 * NotReady will never be finished by its kubelet: it is removed from the API (confirmed by name), as
 * kubectl delete --force --grace-period=0 would. Any other pod stops the run: its process may still
 * write to the volume.
 */
async function clearStalePods(
  read: Readers,
  namespace: string,
  workload: string,
  volumeLabel: string,
  pods: readonly V1Pod[],
): Promise<Action[]> {
  const actions: Action[] = [];
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '?';
    const nodeName = pod.spec?.nodeName;
    const node = nodeName === undefined ? undefined : await read.kube.getNode(nodeName);
    const nodeReady =
      node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    const terminating = pod.metadata?.deletionTimestamp !== undefined;
    if (terminating && !nodeReady) {
      actions.push(forceDeletePod(namespace, name, pod.metadata?.uid ?? '', nodeName));
      continue;
    }
    throw preconditionFailed(
      `Volume ${volumeLabel} is still attached and pod ${namespace}/${name} of ${workload} still exists ` +
        `(${terminating ? 'terminating' : 'running'} on ${nodeName ?? 'no node'}${nodeReady ? ', which is Ready' : ''}).`,
      terminating
        ? 'Its kubelet can still finish it: wait until it is gone (kubectl get pod -w), then run volume-reattach again.'
        : `Something scaled ${workload} up again: scale it to 0 (or find who did), then run volume-reattach again.`,
    );
  }
  return actions;
}

export const volumeReattach = defineRunbook({
  id: 'volume-reattach',
  title: 'Scale stateful workloads down, detach their Linode volumes, scale them back up',
  summary:
    'For pods stuck in ContainerCreating with FailedMount "Unable to find device path" after a node recycle ' +
    '(2021-07-11): their volumes still attached to the old Linode.',
  postmortems: ['2021-07-11-cascading-node-failures'],
  defaultScenario: '2021-07-11-cascading-node-failures',
  mutating: true,
  params: reattachParams,
  needs: { namespaces: (params) => [params.namespace] },
})
  .step({
    id: 'find',
    title: 'Find the workloads whose volumes will not mount',
    explain:
      'Reads every Deployment and StatefulSet that mounts a claim, follows claim → PersistentVolume → Linode ' +
      'volume, and picks those whose pods report FailedMount / FailedAttachVolume for that volume (in either ' +
      'label form, pvc… or pvc-…) or whose volume Linode still shows attached to a Linode that is no longer a ' +
      'node. Changes nothing.',
    plan: (ctx) => findAffected(ctx),
  })
  .step({
    id: 'scale-down',
    title: 'Scale the affected workloads to 0',
    explain:
      'Scales each affected workload to 0 (its replica count is remembered) and waits until its pods are gone ' +
      'and the CSI driver has let go of its volumes. A pod stuck on a dead node, or an attachment the driver ' +
      'cannot remove, is left for the next step, which detaches at Linode.',
    async plan({ facts, read }) {
      const actions: Action[] = [];
      const waits: Wait[] = [];
      const users = new Map<string, number>();
      for (const w of facts.workloads) {
        const { namespace, name, kind } = w.target;
        if (!users.has(`${namespace}/${kind}/${name}`))
          for (const u of await read.kube.listClaimUsers(namespace))
            users.set(`${namespace}/${u.target.kind}/${u.target.name}`, u.replicas);
        const current = users.get(`${namespace}/${kind}/${name}`) ?? 0;
        if (current > 0) actions.push(scale(w.target, current, 0));
        waits.push(
          podsGone({ namespace, labelSelector: w.selector, timeoutMs: 3 * MINUTE, whenStuck: 'continue' }),
        );
        for (const v of w.volumes)
          waits.push(
            volumeReleased({
              persistentVolume: v.persistentVolume,
              timeoutMs: 2 * MINUTE,
              whenStuck: 'continue',
            }),
          );
      }
      return { actions, waits };
    },
    // Undo, if a later step fails: the workloads back up (on whatever their volumes allow).
    compensate: (ctx) => scaleBack(ctx),
  })
  .step({
    id: 'detach-volumes',
    title: 'Detach the volumes at Linode',
    explain:
      'Detaches each affected volume that Linode still shows attached (to the old Linode, or to a node whose ' +
      'kubelet cannot find its device) and waits until Linode reports it detached, following its volume_detach ' +
      'event. A pod still terminating on a node that is gone or NotReady is first removed from the API (its ' +
      'kubelet will never finish it; you type its name to confirm). Any other pod of the workload stops the ' +
      'run: detaching under a live process risks its data.',
    async plan({ params, facts, read }) {
      const actions: Action[] = [];
      const waits: Wait[] = [];
      const notes: string[] = [];
      for (const w of facts.workloads) {
        const pods = await read.kube.listPods(w.target.namespace, w.selector);
        let podsCleared = false;
        for (const v of w.volumes) {
          const volume = await read.linode.getVolume(v.volumeId);
          if (volume === undefined)
            throw preconditionFailed(`Linode volume ${v.volumeLabel} (${v.volumeId}) no longer exists.`);
          if (volume.linode_id === null) {
            notes.push(`volume ${volume.label} is not attached to any Linode`);
            continue;
          }
          if (!podsCleared) {
            actions.push(
              ...(await clearStalePods(read, w.target.namespace, w.target.name, volume.label, pods)),
            );
            podsCleared = true;
          }
          waits.push(
            volumeDetached({
              volumeId: volume.id,
              volumeLabel: volume.label,
              timeoutMs: params.detachTimeout * 1000,
            }),
          );
          const [detaching] = await read.linode.recentEvents('volume', volume.id, 'volume_detach');
          if (detaching?.status === 'scheduled' || detaching?.status === 'started') {
            notes.push(`a detach of ${volume.label} is already under way (event ${detaching.id})`);
            continue;
          }
          const holder = await read.linode.getInstance(volume.linode_id);
          actions.push(
            detachVolume(volume, volume.linode_id, holder?.label ?? `Linode ${volume.linode_id} (gone)`),
          );
        }
      }
      return { actions, waits, notes };
    },
    async verify({ facts, read }) {
      const stuck: string[] = [];
      for (const w of facts.workloads)
        for (const v of w.volumes) {
          const volume = await read.linode.getVolume(v.volumeId);
          if (volume !== undefined && volume.linode_id !== null)
            stuck.push(`${v.volumeLabel} (Linode ${volume.linode_id})`);
        }
      return stuck.length === 0
        ? { ok: true, detail: 'every affected volume is detached' }
        : {
            ok: false,
            detail:
              `Linode still shows ${stuck.join(', ')} attached: it may hold the volume locked, as on 2021-07-11. ` +
              'Open a Linode support ticket naming the volume, and run volume-reattach again once it is released ' +
              '(the workloads stay at 0; the run offers to scale them back).',
          };
    },
  })
  .step({
    id: 'scale-up',
    title: 'Scale the workloads back up',
    explain:
      'Restores each workload to its remembered replica count. The CSI driver attaches each volume to the node ' +
      'the new pod lands on; waits until every pod is Ready, showing attach and mount events while it waits.',
    async plan(ctx) {
      const waits: Wait[] = ctx.facts.workloads.map((w) =>
        workloadReady({ target: w.target, timeoutMs: 5 * MINUTE }),
      );
      return { ...(await scaleBack(ctx)), waits };
    },
  })
  .step({
    id: 'verify',
    title: 'Check every volume is mounted where its pod runs',
    explain:
      'Every affected workload has its pods Ready, and Linode reports each volume attached to the Linode of ' +
      'the node its pod runs on. Changes nothing.',
    plan: () => Promise.resolve({ actions: [] }),
    verify: (ctx) => checkMounted(ctx),
  });
