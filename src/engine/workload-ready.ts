// The k8s.workload-ready wait's look at the world: rolled out and Ready, or which pods hold it back
// and why (CrashLoopBackOff, a failed mount, an unschedulable pod), kept apart from wait-conditions.ts.
import type { Readers } from './ports.js';
import type { Evaluation } from './wait-runner.js';
import { latestWarning, podState } from './wait-conditions.js';
import type { WorkloadReadyWait } from './waits.js';

export async function evaluateWorkloadReady(wait: WorkloadReadyWait, read: Readers): Promise<Evaluation> {
  const { namespace, kind, name } = wait.target;
  const workload = await read.kube.getWorkload(wait.target);
  const what = `${kind.toLowerCase()} ${namespace}/${name}`;
  if (workload === undefined) return { waiting: `${what} does not exist` };
  const { desired, ready, updated, observed } = workload;
  if (observed && ready >= desired && updated >= desired) {
    return {
      outcome: { status: 'met', detail: `${what}: ${ready}/${desired} ready on the current template` },
    };
  }
  const pods = workload.selector === '' ? [] : await read.kube.listPods(namespace, workload.selector);
  const parts: string[] = [];
  for (const pod of pods.slice(0, 5)) {
    const podName = pod.metadata?.name ?? '?';
    const warning = latestWarning(await read.kube.listEventsFor(namespace, 'Pod', podName));
    parts.push(
      `${podName} ${podState(pod)}${warning === undefined ? '' : ` — ${warning.reason ?? ''}: ${warning.message ?? ''}`}`,
    );
  }
  const podsText = parts.length === 0 ? 'no pod yet' : parts.join('; ');
  return {
    waiting: `${what}: ${ready}/${desired} ready, ${updated}/${desired} on the new template${observed ? '' : ' (change not yet seen by its controller)'}: ${podsText}`,
  };
}
