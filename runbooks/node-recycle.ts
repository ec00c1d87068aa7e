// node-recycle: a node that stopped answering (NotReady). Drain what can be drained, recycle it
// through LKE (a new Linode) or reboot its Linode, wait until it is Ready, then move work back off
// the node that took the load, as on 2021-01-10 ("restarting it at Linode's end", then `kubectl
// drain` of the second node). Volumes an unclean end left on the old Linode (2021-07-11) are named,
// with volume-reattach as the next step.
import { type ParamsOf, choice, integer, k8sName } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import { drainParams } from './node-drain/params.js';
import { drainSteps } from './node-drain/steps.js';
import {
  type Chosen,
  checkVolumesLeft,
  chooseLoaded,
  noRebalance,
  planReopen,
  planUncordonLoaded,
} from './node-recycle/after.js';
import { type Located, locateNode } from './node-recycle/locate.js';
import { planReplace } from './node-recycle/replace.js';

const recycleParams = {
  node: k8sName({ description: 'the NotReady node to recycle (kubectl get nodes)', required: true }),
  method: choice({
    description: 'recycle: LKE replaces the Linode (local disks erased); reboot: restart the same Linode',
    choices: ['recycle', 'reboot'] as const,
    default: 'recycle',
  }),
  emptyDirData: drainParams.emptyDirData,
  unreplicated: drainParams.unreplicated,
  timeout: drainParams.timeout,
  concurrency: drainParams.concurrency,
  readyTimeout: integer({
    description: 'seconds to wait for the node to be Ready again',
    default: 900,
    min: 1,
    max: 7200,
  }),
  rebalance: choice({
    description: 'auto: drain and uncordon the node that took the load; skip: leave it',
    choices: ['auto', 'skip'] as const,
    default: 'auto',
  }),
  loadedNode: k8sName({
    description: 'the node that took the load (default: the Ready node with most pods)',
  }),
};

export type RecycleParams = ParamsOf<typeof recycleParams>;

export const nodeRecycle = defineRunbook({
  id: 'node-recycle',
  title: 'Drain a NotReady node, recycle or reboot it, wait until Ready, rebalance',
  summary:
    'For a node that stopped answering (CPU exhaustion on 2021-01-10, a connection surge on 2021-07-11): ' +
    'drain, recycle through LKE (or --method reboot), wait Ready, move the load back.',
  postmortems: ['2021-01-10-primary-kubernetes-node-outage', '2021-07-11-cascading-node-failures'],
  defaultScenario: '2021-01-10-primary-kubernetes-node-outage',
  mutating: true,
  params: recycleParams,
})
  .step({
    id: 'locate',
    title: 'Locate the NotReady node, its Linode and its LKE node',
    explain:
      'Reads the node, the Linode behind its providerID, the LKE pool node (for a recycle) and the volumes ' +
      'attached to that Linode. A node that is Ready needs nothing: every later step then plans nothing. ' +
      'Changes nothing.',
    plan: (ctx) => locateNode(ctx),
  })
  .include(
    drainSteps<RecycleParams, Located>({
      node: ({ params }) => params.node,
      whenStuck: 'continue',
      deadlock: 'skip',
      notNeeded: ({ facts }) => (facts.needed === false ? 'the node is Ready: nothing to drain' : undefined),
    }),
    { prefix: 'drain-' },
  )
  .step({
    id: 'replace',
    title: 'Recycle the node through LKE, or reboot its Linode',
    explain:
      '--method recycle asks LKE to replace the node (POST /v4/lke/clusters/{id}/nodes/{nodeId}/recycle): its ' +
      'Linode and local disks are deleted and a new one registers under the same name. --method reboot restarts ' +
      'the Linode (POST /v4/linode/instances/{id}/reboot), as on 2021-01-10. Then waits by watch until the node ' +
      'is Ready, showing the Linode event status while it waits.',
    plan: (ctx) => planReplace(ctx),
  })
  .step({
    id: 'reopen',
    title: 'Uncordon the node, now Ready',
    explain:
      'The node was cordoned before it was recycled or rebooted; Ready again, it takes new pods (kubectl ' +
      'uncordon). A node someone cordoned before this run is left cordoned.',
    plan: (ctx) => planReopen(ctx),
  })
  .step({
    id: 'choose-loaded-node',
    title: 'Find the node that took the load',
    explain:
      "The Ready node carrying the most pods (or --loaded-node) took the recycled node's work; the next steps " +
      'drain it so its pods spread again, then uncordon it. --rebalance skip leaves the cluster as it is. ' +
      'Changes nothing.',
    plan: (ctx) => chooseLoaded(ctx),
  })
  .include(
    drainSteps<RecycleParams, Located & Chosen>({
      node: ({ facts }) => facts.loadedNode,
      whenStuck: 'fail',
      deadlock: 'skip',
      flagged: 'skip',
      notNeeded: noRebalance,
    }),
    { prefix: 'rebalance-' },
  )
  .step({
    id: 'rebalance-uncordon',
    title: 'Uncordon the node that took the load',
    explain: 'The drained node takes new pods again (kubectl uncordon), now that the load has spread.',
    plan: (ctx) => planUncordonLoaded(ctx),
  })
  .step({
    id: 'volumes-left',
    title: 'Check no volume is left on the old Linode',
    explain:
      'After a recycle, Linode should have detached every volume of the deleted Linode. One still shown attached ' +
      '(an unclean end, 2021-07-11) makes its pods fail with FailedMount: this step names it and stops with ' +
      'runbook volume-reattach as the next action. Changes nothing.',
    plan: () => Promise.resolve({ actions: [] }),
    verify: (ctx) => checkVolumesLeft(ctx),
  });
