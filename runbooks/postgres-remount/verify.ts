// The last check of postgres-remount: Ready pods, and the volume attached where the pod runs.
import type { Check } from '../../src/engine/runbook.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import type { RemountParams } from '../postgres-remount.js';
import type { RemountFacts } from './locate.js';

export async function checkRemounted({
  params,
  facts,
  read,
}: StepContext<RemountParams, RemountFacts>): Promise<Check> {
  const pods = await read.kube.listPods(params.namespace, facts.selector);
  const ready = pods.filter((p) =>
    p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  const replicas = facts.replicas;
  if (ready.length < replicas)
    return { ok: false, detail: `${ready.length}/${replicas} Postgres pods are Ready` };
  const volume = await read.linode.getVolume(facts.volumeId);
  const nodeName = ready[0]?.spec?.nodeName;
  const node = nodeName === undefined ? undefined : await read.kube.getNode(nodeName);
  const linodeId = Number(node?.spec?.providerID?.replace('linode://', ''));
  if (volume?.linode_id !== linodeId) {
    return {
      ok: false,
      detail: `volume ${facts.volumeLabel} is attached to Linode ${volume?.linode_id ?? 'none'}, but the pod runs on ${nodeName ?? '?'} (Linode ${linodeId})`,
    };
  }
  return {
    ok: true,
    detail: `${ready.length}/${replicas} Ready; volume ${volume.label} attached to ${volume.linode_label ?? linodeId}, where ${ready[0]?.metadata?.name ?? '?'} runs on ${nodeName ?? '?'}`,
  };
}
