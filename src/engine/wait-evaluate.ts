// One look at what a wait waits for, whatever its kind: the same evaluations the wait runner makes
// at each change, for a caller that must decide at one moment whether the wait is met.
import type { Readers } from './ports.js';
import type { Evaluation } from './wait-runner.js';
import type { Wait } from './waits.js';
import {
  evaluateDeploymentReady,
  evaluatePodsGone,
  evaluateVolumeDetached,
  evaluateVolumeReleased,
} from './wait-conditions.js';
import { evaluateWorkloadReady } from './workload-ready.js';
import { evaluateNodeDrained, evaluateNodeReady } from './node-waits.js';

export function evaluateWait(wait: Wait, read: Readers): Promise<Evaluation> {
  switch (wait.kind) {
    case 'k8s.pods-gone':
      return evaluatePodsGone(wait, read);
    case 'k8s.deployment-ready':
      return evaluateDeploymentReady(wait, read);
    case 'k8s.volume-released':
      return evaluateVolumeReleased(wait, read);
    case 'k8s.node-drained':
      return evaluateNodeDrained(wait, read);
    case 'k8s.node-ready':
      return evaluateNodeReady(wait, read);
    case 'linode.volume-detached':
      return evaluateVolumeDetached(wait, read);
    case 'k8s.workload-ready':
      return evaluateWorkloadReady(wait, read);
  }
}
