// The first step of volume-reattach: which Deployments and StatefulSets cannot mount their Linode
// volumes, from two kinds of evidence: their pods' FailedMount / FailedAttachVolume events, and
// Linode volumes still attached to a Linode that is no longer a node (recycled, deleted).
import type { V1Node } from '@kubernetes/client-node';
import { type ScaleTarget, podState } from '../../src/engine/vocabulary/index.js';
import { RunbookError } from '../../src/engine/errors.js';
import type { ClaimUser, Readers } from '../../src/engine/ports.js';
import type { PlanWith } from '../../src/engine/step-facts.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import type { ReattachParams } from '../volume-reattach.js';

export interface AffectedVolume {
  readonly claim: string;
  readonly persistentVolume: string;
  readonly volumeId: number;
  readonly volumeLabel: string;
}

export interface AffectedWorkload {
  readonly target: ScaleTarget;
  /** What it is scaled back to: its replica count as found (1 when found at 0). */
  readonly replicas: number;
  readonly selector: string;
  readonly volumes: readonly AffectedVolume[];
}

/** What the first step found: the workloads every later step works on. */
export interface ReattachFacts {
  readonly workloads: readonly AffectedWorkload[];
}

const MOUNT_FAILURES = new Set(['FailedMount', 'FailedAttachVolume']);

export const linodeIdOfNode = (node: V1Node | undefined): number | undefined => {
  const m = /^linode:\/\/(\d+)$/.exec(node?.spec?.providerID ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

/**
 * The PV name a Linode volume label stands for. The CSI driver labels volumes `pvc<16hex>` (before
 * v1.0.0, dashes stripped) or `pvc-<16hex>` (since): both lead to PV `pvc-<16hex>`.
 */
export const persistentVolumeOfLabel = (label: string): string | undefined =>
  /^pvc-?[0-9a-f]+$/.test(label) ? label.replace(/^pvc-?/, 'pvc-') : undefined;

/** Whether a message (an event's) is about this PV, in either label form. */
const mentions = (message: string, pvName: string): boolean =>
  message.includes(pvName) || message.includes(pvName.replace(/-/g, ''));

interface Found {
  readonly volume: AffectedVolume;
  readonly evidence: string[];
}

async function inspectClaim(
  read: Readers,
  user: ClaimUser,
  claim: string,
  nodeLinodes: ReadonlySet<number>,
): Promise<Found | undefined> {
  const { namespace } = user.target;
  const pvc = await read.kube.getPersistentVolumeClaim(namespace, claim);
  const pvName = pvc?.spec?.volumeName;
  if (pvName === undefined) return undefined;
  const pv = await read.kube.getPersistentVolume(pvName);
  const handle = pv?.spec?.csi?.volumeHandle;
  const volumeId = Number(handle?.split('-')[0]);
  if (handle === undefined || !Number.isInteger(volumeId)) return undefined;
  const volume = await read.linode.getVolume(volumeId);
  if (volume === undefined) return undefined;
  const evidence: string[] = [];
  if (volume.linode_id !== null && !nodeLinodes.has(volume.linode_id)) {
    const holder = await read.linode.getInstance(volume.linode_id);
    evidence.push(
      `Linode volume ${volume.label} is attached to Linode ${volume.linode_id}, which ${holder === undefined ? 'no longer exists' : `(${holder.label}) is not a node of this cluster`}`,
    );
  }
  for (const pod of await read.kube.listPods(namespace, user.selector)) {
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const name = pod.metadata?.name ?? '?';
    const failures = (await read.kube.listEventsFor(namespace, 'Pod', name)).filter(
      (e) => MOUNT_FAILURES.has(e.reason ?? '') && mentions(e.message ?? '', pvName),
    );
    const last = failures.at(-1);
    if (last !== undefined)
      evidence.push(`pod ${name} ${podState(pod)}: ${last.reason ?? ''}: ${last.message ?? ''}`);
  }
  return evidence.length === 0
    ? undefined
    : { volume: { claim, persistentVolume: pvName, volumeId, volumeLabel: volume.label }, evidence };
}

export async function findAffected({
  params,
  read,
}: StepContext<ReattachParams, unknown>): Promise<PlanWith<ReattachFacts>> {
  const nodes = await read.kube.listNodes();
  const nodeLinodes = new Set(nodes.flatMap((n) => linodeIdOfNode(n) ?? []));
  const users = (await read.kube.listClaimUsers(params.namespace)).filter(
    (u) => params.workload === undefined || u.target.name === params.workload,
  );
  if (params.workload !== undefined && users.length === 0) {
    throw new RunbookError(
      'invalid-parameter',
      `--workload ${params.workload}: no Deployment or StatefulSet of that name in ${params.namespace} mounts a volume claim.`,
    );
  }
  const workloads: AffectedWorkload[] = [];
  const notes: string[] = [];
  const claimed = new Set<string>();
  for (const user of users) {
    const volumes: AffectedVolume[] = [];
    for (const claim of user.claims) {
      const found = await inspectClaim(read, user, claim, nodeLinodes);
      if (found === undefined) continue;
      volumes.push(found.volume);
      claimed.add(found.volume.persistentVolume);
      notes.push(...found.evidence);
    }
    if (volumes.length === 0) continue;
    const replicas = user.replicas > 0 ? user.replicas : 1;
    const { kind, namespace, name } = user.target;
    notes.push(
      `→ ${kind.toLowerCase()} ${namespace}/${name} (${user.replicas} replicas${user.replicas === 0 ? '; will come back with 1' : ''}): ${volumes.map((v) => `${v.claim} → ${v.volumeLabel}`).join(', ')}`,
    );
    workloads.push({ target: user.target, replicas, selector: user.selector, volumes });
  }
  // Volumes left on a Linode that is gone, which no workload of this namespace mounts: said, not touched.
  for (const volume of await read.linode.listVolumes()) {
    if (volume.linode_id === null || nodeLinodes.has(volume.linode_id)) continue;
    const pvName = persistentVolumeOfLabel(volume.label);
    if (pvName !== undefined && claimed.has(pvName)) continue;
    const pv = pvName === undefined ? undefined : await read.kube.getPersistentVolume(pvName);
    const claimRef = pv?.spec?.claimRef;
    notes.push(
      `volume ${volume.label} is attached to Linode ${volume.linode_id}, which is not a node; ${
        claimRef === undefined
          ? 'no PersistentVolume of this cluster is backed by it'
          : claimRef.namespace === params.namespace
            ? `no Deployment or StatefulSet mounts its claim ${claimRef.name ?? ''}`
            : `its claim ${claimRef.namespace ?? ''}/${claimRef.name ?? ''} is outside this run (--namespace ${claimRef.namespace ?? ''})`
      }`,
    );
  }
  if (workloads.length === 0)
    notes.push(`no workload in ${params.namespace} fails to mount its volumes: nothing to reattach`);
  return { actions: [], notes, facts: { workloads } };
}
