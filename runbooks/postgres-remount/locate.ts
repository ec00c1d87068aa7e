// The first step of postgres-remount: follow deployment → claim → PersistentVolume → Linode volume,
// and remember what later steps need (replica count, selector, volume id, the manifest).
import type { V1Deployment } from '@kubernetes/client-node';
import { type KubeManifest, podState } from '../../src/engine/vocabulary/index.js';
import { type OmittedObject, isOmitted } from '../../src/engine/journal-facts.js';
import { RunbookError, preconditionFailed } from '../../src/engine/errors.js';
import type { PlanWith } from '../../src/engine/step-facts.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import type { RemountParams } from '../postgres-remount.js';
import { readYamlDocumentsParam } from '../yaml-param.js';

/** What the first step finds: the chain deployment → claim → PersistentVolume → Linode volume. */
export interface Located {
  readonly replicas: number;
  readonly selector: string;
  readonly claim: string;
  readonly persistentVolume: string;
  readonly volumeId: number;
  readonly volumeLabel: string;
  /** Kept in memory; the journal holds only its name (its env may hold secrets). */
  readonly manifest: KubeManifest;
  readonly manifestSource: string;
}

/** The same facts as later steps read them: after a resume the manifest is only its name. */
export type RemountFacts = Omit<Located, 'manifest'> & { readonly manifest: KubeManifest | OmittedObject };

/** The deployment as it would be applied again: no status, no server-set metadata. */
export function manifestOf(deployment: V1Deployment): KubeManifest {
  const { name, namespace, labels, annotations } = deployment.metadata ?? {};
  const kept = Object.fromEntries(
    Object.entries(annotations ?? {}).filter(([key]) => !key.startsWith('deployment.kubernetes.io/')),
  );
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: name ?? '', namespace, labels, annotations: kept },
    spec: deployment.spec,
  };
}

/**
 * The manifest to bring Postgres back with. After a resume the journal holds only its name: the file
 * is read again, and a deployment this run deleted before it stopped has to be named by one.
 */
export async function manifestToReapply(
  params: RemountParams,
  manifest: KubeManifest | OmittedObject,
): Promise<KubeManifest> {
  if (!isOmitted(manifest)) return manifest;
  if (params.manifest !== undefined) return manifestFromFile(params.manifest, params.deployment);
  throw preconditionFailed(
    `${manifest.omitted} was deleted before this run stopped, and the journal keeps no copy of it (its env may hold secrets).`,
    `Re-apply it from the team repository (kubectl apply -f <file>), or run postgres-remount --strategy recreate --manifest <file>.`,
  );
}

async function manifestFromFile(path: string, name: string): Promise<KubeManifest> {
  const documents = (await readYamlDocumentsParam('--manifest', path)) as Array<KubeManifest | null>;
  const found = documents.find(
    (d): d is KubeManifest => d?.kind === 'Deployment' && d.metadata?.name === name,
  );
  if (found === undefined) {
    throw new RunbookError('invalid-parameter', `--manifest ${path} has no Deployment named ${name}.`);
  }
  return found;
}

export async function locatePostgres(ctx: StepContext<RemountParams, unknown>): Promise<PlanWith<Located>> {
  const { params, read } = ctx;
  const { namespace, deployment: name } = params;
  const deployment = await read.kube.getDeployment(namespace, name);
  if (deployment === undefined) {
    throw preconditionFailed(
      `Deployment ${namespace}/${name} does not exist.`,
      params.strategy === 'recreate'
        ? 'If a previous run deleted it, re-apply it with kubectl apply -f, or name it with --deployment.'
        : 'Name the Postgres deployment with --namespace and --deployment.',
    );
  }
  const claims = (deployment.spec?.template.spec?.volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim === undefined ? [] : [v.persistentVolumeClaim.claimName],
  );
  const [claim] = claims;
  if (claim === undefined || claims.length > 1) {
    throw preconditionFailed(
      `Deployment ${namespace}/${name} mounts ${claims.length} persistent volume claims (${claims.join(', ') || 'none'}); this runbook handles exactly one.`,
    );
  }
  const pvc = await read.kube.getPersistentVolumeClaim(namespace, claim);
  const pvName = pvc?.spec?.volumeName;
  if (pvc === undefined || pvName === undefined) {
    throw preconditionFailed(
      `Claim ${namespace}/${claim} ${pvc === undefined ? 'does not exist' : 'is not bound'}.`,
    );
  }
  const pv = await read.kube.getPersistentVolume(pvName);
  const handle = pv?.spec?.csi?.volumeHandle;
  const volumeId = Number(handle?.split('-')[0]);
  if (handle === undefined || !Number.isInteger(volumeId)) {
    throw preconditionFailed(
      `PersistentVolume ${pvName} is not a Linode block storage volume (no linodebs.csi.linode.com handle).`,
    );
  }
  const volume = await read.linode.getVolume(volumeId);
  if (volume === undefined) {
    throw preconditionFailed(
      `Linode volume ${volumeId} (from ${pvName}) does not exist in this Linode account.`,
    );
  }

  const selector = Object.entries(deployment.spec?.selector.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = await read.kube.listPods(namespace, selector);
  const current = deployment.spec?.replicas ?? 0;
  const replicas = params.replicas ?? (current > 0 ? current : 1);
  const attachedTo = volume.linode_id === null ? undefined : await read.linode.getInstance(volume.linode_id);
  const ready = deployment.status?.readyReplicas ?? 0;

  const notes = [
    `deployment ${namespace}/${name}: ${ready}/${current} ready; will be restored to ${replicas}`,
    ...pods.map((p) => `pod ${p.metadata?.name ?? '?'}: ${podState(p)} on ${p.spec?.nodeName ?? 'no node'}`),
    `claim ${claim} → ${pvName} → Linode volume ${volume.label} (${volume.id}), ${
      attachedTo === undefined ? 'not attached' : `attached to ${attachedTo.label} (${attachedTo.id})`
    }`,
  ];
  if (ready === current && current > 0 && pods.every((p) => p.metadata?.deletionTimestamp === undefined)) {
    notes.push('Postgres looks healthy to Kubernetes: a remount takes it offline for a minute or two.');
  }

  const manifest =
    params.manifest === undefined ? manifestOf(deployment) : await manifestFromFile(params.manifest, name);
  return {
    actions: [],
    notes,
    facts: {
      replicas,
      selector,
      claim,
      persistentVolume: pvName,
      volumeId: volume.id,
      volumeLabel: volume.label,
      manifest,
      manifestSource: params.manifest ?? `deployment ${namespace}/${name} as read before the run`,
    },
  };
}
