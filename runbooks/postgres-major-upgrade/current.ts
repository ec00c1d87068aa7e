// What postgres-major-upgrade reads before it changes anything: the Postgres deployment, its
// container and data claim, the PersistentVolume and Linode volume behind the claim, and the server's
// version; and the names of what it makes (a new volume, PV, claim and a side deployment).
import {
  type PostgresReader,
  type Readers,
  RunbookError,
  type V1Deployment,
  preconditionFailed,
} from '../../src/authoring.js';

/** Everything later steps need, found once by the first step. */
export interface Current {
  readonly namespace: string;
  readonly deployment: string;
  readonly replicas: number;
  /** The deployment's pod selector, e.g. `app=postgres`. */
  readonly selector: string;
  readonly container: string;
  readonly oldImage: string;
  /** The pod volume that mounts the data claim (its name in the template). */
  readonly dataVolume: string;
  readonly oldClaim: string;
  readonly oldPv: string;
  readonly oldVolume: { readonly id: number; readonly label: string; readonly size: number };
  readonly region: string;
  readonly storageClass: string;
  readonly fromVersion: string;
  readonly fromMajor: number;
}

/** The names of what the upgrade makes, from the deployment and the new major version. */
export interface NewNames {
  /** The Linode volume's label: at most 32 characters. */
  readonly volumeLabel: string;
  readonly pv: string;
  readonly claim: string;
  /** The side deployment the backup is restored into before the switch. */
  readonly sideDeployment: string;
}

export const newNames = (c: { deployment: string; oldClaim: string }, major: number): NewNames => {
  const suffix = `-pg${major}`;
  return {
    volumeLabel: `${c.deployment.slice(0, 32 - suffix.length)}${suffix}`,
    pv: `${c.oldClaim}${suffix}`,
    claim: `${c.oldClaim}${suffix}`,
    sideDeployment: `${c.deployment}${suffix}`,
  };
};

/** `postgres:16`, `docker.io/library/postgres:16.2-alpine` → 16. */
export function majorOfImage(image: string): number {
  const tag = /:([^:/@]+)$/.exec(image)?.[1] ?? '';
  const major = /^(\d+)/.exec(tag)?.[1];
  if (major === undefined)
    throw new RunbookError(
      'invalid-parameter',
      `--image ${image} has no major version in its tag (e.g. postgres:16).`,
      { next: 'Give the image with its version tag, such as postgres:16 or postgres:16.4-alpine.' },
    );
  return Number(major);
}

export function needPostgres(read: Readers): PostgresReader {
  if (read.postgres !== undefined) return read.postgres;
  throw new RunbookError('database-unreachable', 'This run has no connection to Postgres.', {
    next: 'Give --database-url, or let runbook port-forward to the deployment (--namespace, --deployment).',
  });
}

export async function readCurrent(read: Readers, namespace: string, deployment: string): Promise<Current> {
  const found = await read.kube.getDeployment(namespace, deployment);
  if (found === undefined) throw preconditionFailed(`No deployment ${namespace}/${deployment}.`);
  const { container, dataVolume, oldClaim } = dataOf(found, namespace, deployment);
  const claim = await read.kube.getPersistentVolumeClaim(namespace, oldClaim);
  const pvName = claim?.spec?.volumeName;
  if (pvName === undefined || pvName === '')
    throw preconditionFailed(`Claim ${namespace}/${oldClaim} is not bound to a PersistentVolume.`);
  const pv = await read.kube.getPersistentVolume(pvName);
  const handle = /^(\d+)-/.exec(pv?.spec?.csi?.volumeHandle ?? '');
  const volume = handle?.[1] === undefined ? undefined : await read.linode.getVolume(Number(handle[1]));
  if (volume === undefined)
    throw preconditionFailed(
      `PersistentVolume ${pvName} is not a Linode block-storage volume this account holds.`,
      'This runbook moves Postgres between Linode volumes; on other storage, upgrade by hand.',
    );
  const version = await needPostgres(read).serverVersion();
  return {
    namespace,
    deployment,
    replicas: found.spec?.replicas ?? 1,
    selector: Object.entries(found.spec?.selector.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    container: container.name,
    oldImage: container.image ?? '',
    dataVolume,
    oldClaim,
    oldPv: pvName,
    oldVolume: { id: volume.id, label: volume.label, size: volume.size },
    region: volume.region,
    storageClass: claim?.spec?.storageClassName ?? 'linode-block-storage-retain',
    fromVersion: version.text,
    fromMajor: Math.floor(version.num / 10000),
  };
}

function dataOf(
  found: V1Deployment,
  namespace: string,
  deployment: string,
): { container: { name: string; image?: string }; dataVolume: string; oldClaim: string } {
  const spec = found.spec?.template.spec;
  const containers = spec?.containers ?? [];
  const container = containers.find((c) => /postgres/.test(c.image ?? '')) ?? containers[0];
  const claimed = (spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim !== undefined);
  const mounted = claimed.find((v) => container?.volumeMounts?.some((m) => m.name === v.name));
  const volume = mounted ?? claimed[0];
  if (container === undefined || volume?.persistentVolumeClaim === undefined)
    throw preconditionFailed(
      `Deployment ${namespace}/${deployment} mounts no PersistentVolumeClaim: nothing to upgrade onto a new volume.`,
    );
  return { container, dataVolume: volume.name, oldClaim: volume.persistentVolumeClaim.claimName };
}
