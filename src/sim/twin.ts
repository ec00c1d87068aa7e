// The dry-run twin: a fresh simulated world filled with objects read from a live cluster and Linode
// account, so a runbook can be run against it at full speed and every step planned against the
// state the earlier steps leave behind.
import type { LinodeInstance, LinodeVolume, KubeObject } from './world.js';
import { settle } from './scenario.js';
import type { WorldLoader } from './server.js';

export interface TwinSeed {
  readonly name: string;
  readonly region: string | undefined;
  readonly kube: readonly KubeObject[];
  readonly linodeInstances: readonly LinodeInstance[];
  readonly linodeVolumes: readonly LinodeVolume[];
}

/** Owners before what they own, so controllers find a consistent world when they wake up. */
const RESTORE_ORDER = [
  'Namespace',
  'StorageClass',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Service',
  'ConfigMap',
  'PodDisruptionBudget',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Pod',
  'VolumeAttachment',
];

const rank = (object: KubeObject): number => {
  const index = RESTORE_ORDER.indexOf(object.kind);
  return index === -1 ? RESTORE_ORDER.length : index;
};

export function twinLoader(seed: TwinSeed): WorldLoader {
  return {
    name: seed.name,
    clusterId: 0,
    ...(seed.region === undefined ? {} : { region: seed.region }),
    async load(world) {
      for (const instance of seed.linodeInstances) world.linode.restoreInstance(instance);
      for (const volume of seed.linodeVolumes) world.linode.restoreVolume(volume);
      for (const object of [...seed.kube].sort((a, b) => rank(a) - rank(b))) world.kube.restore(object);
      await settle(world);
    },
  };
}
