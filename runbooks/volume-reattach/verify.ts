// The last check of volume-reattach: every workload Ready, each volume attached at Linode to the
// Linode of the node its pod runs on (the device path the kubelet could not find, now there).
import type { Check } from '../../src/engine/runbook.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import type { ReattachParams } from '../volume-reattach.js';
import { type ReattachFacts, linodeIdOfNode } from './find.js';

export async function checkMounted({
  facts,
  read,
}: StepContext<ReattachParams, ReattachFacts>): Promise<Check> {
  const problems: string[] = [];
  const good: string[] = [];
  for (const w of facts.workloads) {
    const { namespace, name } = w.target;
    const pods = await read.kube.listPods(namespace, w.selector);
    const ready = pods.filter(
      (p) =>
        p.metadata?.deletionTimestamp === undefined &&
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    if (ready.length < w.replicas) {
      problems.push(`${name}: ${ready.length}/${w.replicas} pods Ready`);
      continue;
    }
    const linodes = new Set<number>();
    for (const pod of ready) {
      const id = linodeIdOfNode(await read.kube.getNode(pod.spec?.nodeName ?? ''));
      if (id !== undefined) linodes.add(id);
    }
    for (const v of w.volumes) {
      const volume = await read.linode.getVolume(v.volumeId);
      if (volume?.linode_id === null || volume === undefined || !linodes.has(volume.linode_id))
        problems.push(
          `volume ${v.volumeLabel} of ${name} is attached to Linode ${volume?.linode_id ?? 'none'}, not to the node its pod runs on`,
        );
      else good.push(`${v.volumeLabel} on ${volume.linode_label ?? volume.linode_id} for ${name}`);
    }
  }
  return problems.length === 0
    ? {
        ok: true,
        detail: good.length === 0 ? 'nothing was reattached' : `mounted again: ${good.join(', ')}`,
      }
    : { ok: false, detail: problems.join('; ') };
}
