// node-uncordon: the inverse of node-drain: the node takes new pods again (kubectl uncordon).
import { nodeIsReady, uncordon } from '../src/engine/vocabulary/index.js';
import { invalidParameter } from '../src/engine/errors.js';
import { k8sName } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';

export const nodeUncordon = defineRunbook({
  id: 'node-uncordon',
  title: 'Let a cordoned node take new pods again',
  summary:
    'kubectl uncordon, after a drain or a recycle: says whether the node is Ready before it is opened.',
  postmortems: ['2021-01-10-primary-kubernetes-node-outage'],
  defaultScenario: 'healthy',
  mutating: true,
  params: { node: k8sName({ description: 'the node to uncordon (kubectl get nodes)', required: true }) },
}).step({
  id: 'uncordon',
  title: 'Uncordon the node',
  explain:
    'Clears spec.unschedulable, so the scheduler may place new pods there again. Pods already elsewhere ' +
    'stay where they are. A node that is not cordoned: nothing to do.',
  async plan({ params, read }) {
    const name = params.node;
    const node = await read.kube.getNode(name);
    if (node === undefined) throw invalidParameter(`Node ${name} does not exist.`);
    const readiness = nodeIsReady(node)
      ? `${name} is Ready`
      : `${name} is NOT Ready: pods scheduled there will not start until it is`;
    if (node.spec?.unschedulable !== true)
      return { actions: [], notes: [`${name} is not cordoned`, readiness] };
    return { actions: [uncordon(name)], notes: [readiness] };
  },
  async verify({ params, read }) {
    const name = params.node;
    const node = await read.kube.getNode(name);
    return node?.spec?.unschedulable === true
      ? { ok: false, detail: `${name} is still cordoned` }
      : { ok: true, detail: `${name} takes new pods${nodeIsReady(node) ? '' : ' (but is not Ready)'}` };
  },
});
