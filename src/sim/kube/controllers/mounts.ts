// What keeps a scheduled pod's containers from starting on its node, as the kubelet reports it:
// a Linode volume whose device is absent ("Unable to find device path"), a Secret or ConfigMap
// volume whose source is missing (FailedMount), env from a missing one (CreateContainerConfigError).
import type { KubeObject } from '../../world.js';
import { CSI_DRIVER, volumeIdOfHandle } from './csi-names.js';
import { linodeIdOf } from './nodes.js';
import type { ControllerContext } from './runtime.js';
import { defs } from './runtime.js';

interface PodVolume {
  name: string;
  persistentVolumeClaim?: { claimName?: string };
  secret?: { secretName?: string; optional?: boolean };
  configMap?: { name?: string; optional?: boolean };
  projected?: {
    sources?: Array<{
      secret?: { name?: string; optional?: boolean };
      configMap?: { name?: string; optional?: boolean };
    }>;
  };
}

interface EnvSource {
  secretKeyRef?: { name?: string; key?: string; optional?: boolean };
  configMapKeyRef?: { name?: string; key?: string; optional?: boolean };
}

interface Container {
  name: string;
  env?: Array<{ name: string; valueFrom?: EnvSource }>;
  envFrom?: Array<{
    secretRef?: { name?: string; optional?: boolean };
    configMapRef?: { name?: string; optional?: boolean };
  }>;
}

function volumesOf(pod: KubeObject): PodVolume[] {
  return (pod.spec as { volumes?: PodVolume[] } | undefined)?.volumes ?? [];
}

/** The two paths the Linode CSI node plugin looks for (nodeserver_helpers.go findDevicePath). */
export function devicePathMessage(pvName: string, label: string): string {
  return `MountVolume.MountDevice failed for volume "${pvName}" : rpc error: code = Internal desc = Unable to find device path out of attempted paths: [/dev/disk/by-id/linode-${label} /dev/disk/by-id/scsi-0Linode_Volume_${label}]`;
}

/**
 * The pod volumes backed by a Linode volume whose device is not on this node: Linode has it
 * attached to another Linode (or none), or a volume-device-missing fault names its claim.
 */
export function missingDevices(
  ctx: ControllerContext,
  pod: KubeObject,
  node: KubeObject,
): Array<{ volume: string; pvName: string; label: string }> {
  const out: Array<{ volume: string; pvName: string; label: string }> = [];
  const namespace = pod.metadata.namespace;
  for (const volume of volumesOf(pod)) {
    const claim = volume.persistentVolumeClaim?.claimName;
    if (claim === undefined) continue;
    const pvc = ctx.api.store.get(defs.pvc, namespace, claim);
    const pvName = (pvc?.spec as { volumeName?: string } | undefined)?.volumeName;
    if (pvName === undefined) continue;
    const pv = ctx.api.store.get(defs.pv, undefined, pvName);
    const csi = (pv?.spec as { csi?: { driver?: string; volumeHandle?: string } } | undefined)?.csi;
    if (csi?.driver !== CSI_DRIVER) continue;
    const id = volumeIdOfHandle(csi.volumeHandle);
    const linodeVolume = id === undefined ? undefined : ctx.linode.volume(id);
    const label = linodeVolume?.label ?? csi.volumeHandle?.replace(/^\d+-/, '') ?? pvName;
    const faulted = ctx.faults
      .list()
      .some((f) => f.kind === 'volume-device-missing' && f.namespace === namespace && f.pvc === claim);
    const elsewhere = linodeVolume === undefined || linodeVolume.linode_id !== linodeIdOf(node);
    if (faulted || elsewhere) out.push({ volume: volume.name, pvName, label });
  }
  return out;
}

const exists = (
  ctx: ControllerContext,
  kind: 'secret' | 'configMap',
  namespace: string | undefined,
  name: string,
) => ctx.api.store.get(kind === 'secret' ? defs.secret : defs.configMap, namespace, name);

/** FailedMount messages for Secret/ConfigMap volumes whose source does not exist. */
export function missingConfigVolumes(ctx: ControllerContext, pod: KubeObject): string[] {
  const namespace = pod.metadata.namespace;
  const out: string[] = [];
  for (const volume of volumesOf(pod)) {
    const refs: Array<{ kind: 'secret' | 'configMap'; name?: string; optional?: boolean }> = [];
    if (volume.secret)
      refs.push({ kind: 'secret', name: volume.secret.secretName, optional: volume.secret.optional });
    if (volume.configMap) refs.push({ kind: 'configMap', ...volume.configMap });
    for (const source of volume.projected?.sources ?? []) {
      if (source.secret) refs.push({ kind: 'secret', ...source.secret });
      if (source.configMap) refs.push({ kind: 'configMap', ...source.configMap });
    }
    for (const ref of refs) {
      if (ref.optional === true || ref.name === undefined) continue;
      if (exists(ctx, ref.kind, namespace, ref.name) !== undefined) continue;
      const what = ref.kind === 'secret' ? 'secret' : 'configmap';
      out.push(`MountVolume.SetUp failed for volume "${volume.name}" : ${what} "${ref.name}" not found`);
    }
  }
  return out;
}

/** Per container, why its configuration cannot be built (the CreateContainerConfigError message). */
export function containerConfigErrors(ctx: ControllerContext, pod: KubeObject): Map<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const out = new Map<string, string>();
  const containers = (pod.spec as { containers?: Container[] } | undefined)?.containers ?? [];
  for (const c of containers) {
    for (const from of c.envFrom ?? []) {
      const ref = from.secretRef ?? from.configMapRef;
      const kind = from.secretRef ? 'secret' : 'configMap';
      if (ref?.name === undefined || ref.optional === true) continue;
      if (exists(ctx, kind, namespace, ref.name) === undefined && !out.has(c.name))
        out.set(c.name, `${kind === 'secret' ? 'secret' : 'configmap'} "${ref.name}" not found`);
    }
    for (const env of c.env ?? []) {
      const ref = env.valueFrom?.secretKeyRef ?? env.valueFrom?.configMapKeyRef;
      const kind = env.valueFrom?.secretKeyRef ? 'secret' : 'configMap';
      if (ref?.name === undefined || ref.optional === true || out.has(c.name)) continue;
      const object = exists(ctx, kind, namespace, ref.name);
      if (object === undefined) {
        out.set(c.name, `${kind === 'secret' ? 'secret' : 'configmap'} "${ref.name}" not found`);
        continue;
      }
      const data = {
        ...(object.data as object | undefined),
        ...(object.stringData as object | undefined),
        ...(object.binaryData as object | undefined),
      };
      if (ref.key !== undefined && !(ref.key in data))
        out.set(
          c.name,
          `couldn't find key ${ref.key} in ${kind === 'secret' ? 'Secret' : 'ConfigMap'} ${namespace}/${ref.name}`,
        );
    }
  }
  return out;
}
