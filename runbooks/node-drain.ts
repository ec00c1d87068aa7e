// node-drain: empty a node as kubectl drain does, without its weaknesses: the budget that blocks is
// named, evictions are bounded, waits watch instead of polling every second, one timeout bounds it
// all, and the run ends with what moved where. `kubectl drain lke13311-20304-5ffa4d11faab` on 2021-01-10.
import { defineRunbook } from '../src/engine/runbook.js';
import { drainParams } from './node-drain/params.js';
import { drainSteps } from './node-drain/steps.js';

export const nodeDrain = defineRunbook({
  id: 'node-drain',
  title: 'Cordon a node and evict its pods, PodDisruptionBudgets respected',
  summary:
    'kubectl drain with the blocking budget named, DaemonSet and mirror pods skipped, emptyDir and unreplicated ' +
    'pods only by flag, at most --concurrency evictions at once, one --timeout, and a summary of what moved where.',
  postmortems: ['2021-01-10-primary-kubernetes-node-outage'],
  defaultScenario: 'healthy',
  mutating: true,
  params: drainParams,
}).include(
  drainSteps({
    node: ({ params }) => params.node,
    whenStuck: 'fail',
    deadlock: 'refuse',
  }),
);
