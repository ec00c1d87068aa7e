// The changes a runbook makes through the Linode API, and the wait for a volume to come loose, each
// defined once. The Linode API has no dry run: a rehearsal applies them to the twin only.
import {
  type ActionDefinitions,
  type PreviewMode,
  type WaitDefinitions,
  builder,
  eventProgress,
} from './define.js';
import { linode } from '../permissions/permission.js';
import { reads } from '../permissions/readers.js';

export interface VolumeDetachAction {
  readonly kind: 'linode.volume.detach';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly linodeId: number;
  readonly linodeLabel: string;
}

export interface VolumeAttachAction {
  readonly kind: 'linode.volume.attach';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly linodeId: number;
  readonly linodeLabel: string;
}

/** POST /lke/clusters/{id}/nodes/{nodeId}/recycle: LKE deletes the node's Linode and provisions a new one. */
export interface LkeRecycleNodeAction {
  readonly kind: 'linode.lke.recycle-node';
  readonly clusterId: number;
  readonly nodeId: string;
  readonly node: string;
  readonly linodeId: number;
}

/** POST /linode/instances/{id}/reboot: the node's Linode is restarted, disks kept. */
export interface LinodeRebootAction {
  readonly kind: 'linode.reboot';
  readonly linodeId: number;
  readonly linodeLabel: string;
  readonly node: string;
}

export type LinodeAction =
  VolumeDetachAction | VolumeAttachAction | LkeRecycleNodeAction | LinodeRebootAction;

interface VolumeRef {
  readonly id: number;
  readonly label: string;
}

export const detachVolume = (
  volume: VolumeRef,
  linodeId: number,
  linodeLabel: string,
): VolumeDetachAction => ({
  kind: 'linode.volume.detach',
  volumeId: volume.id,
  volumeLabel: volume.label,
  linodeId,
  linodeLabel,
});

export const attachVolume = (
  volume: VolumeRef,
  linodeId: number,
  linodeLabel: string,
): VolumeAttachAction => ({
  kind: 'linode.volume.attach',
  volumeId: volume.id,
  volumeLabel: volume.label,
  linodeId,
  linodeLabel,
});

export const recycleLkeNode = (
  clusterId: number,
  nodeId: string,
  node: string,
  linodeId: number,
): LkeRecycleNodeAction => ({ kind: 'linode.lke.recycle-node', clusterId, nodeId, node, linodeId });

export const rebootLinode = (linodeId: number, linodeLabel: string, node: string): LinodeRebootAction => ({
  kind: 'linode.reboot',
  linodeId,
  linodeLabel,
  node,
});

export const TWIN_ONLY: PreviewMode = {
  mode: 'twin-only',
  why: 'the Linode API has no dry run: applied to the twin only',
};

// Linode's writers take no options: the Linode API has no dry run, so the twin is the rehearsal.
export const linodeActions = {
  'linode.volume.detach': {
    permissions: [...linode('volumes', 'read_write'), ...linode('linodes', 'read_write')],
    describe: (a) => ({
      title: `detach Linode volume ${a.volumeLabel} (${a.volumeId}) from ${a.linodeLabel}`,
      before: `attached to Linode ${a.linodeLabel} (${a.linodeId})`,
      after: 'detached',
      destructive: true,
      confirmName: a.volumeLabel,
      equivalent: `POST /v4/volumes/${a.volumeId}/detach  (linode-cli volumes detach ${a.volumeId})`,
    }),
    preview: TWIN_ONLY,
    perform: (a, w) => w.linode.detachVolume(a.volumeId),
  },
  'linode.volume.attach': {
    permissions: [...linode('volumes', 'read_write'), ...linode('linodes', 'read_write')],
    describe: (a) => ({
      title: `attach Linode volume ${a.volumeLabel} (${a.volumeId}) to ${a.linodeLabel}`,
      before: 'detached',
      after: `attached to Linode ${a.linodeLabel} (${a.linodeId})`,
      destructive: false,
      confirmName: undefined,
      equivalent: `POST /v4/volumes/${a.volumeId}/attach {"linode_id":${a.linodeId},"persist_across_boots":false}`,
    }),
    preview: TWIN_ONLY,
    perform: (a, w) => w.linode.attachVolume(a.volumeId, a.linodeId),
  },
  'linode.lke.recycle-node': {
    permissions: linode('lke', 'read_write'),
    describe: (a) => ({
      title: `recycle LKE node ${a.node} (${a.nodeId}) of cluster ${a.clusterId}`,
      before: `backed by Linode ${a.linodeId}`,
      after:
        'Linode deleted (local disks erased, volumes detached) and replaced by a new one, which registers again',
      destructive: true,
      confirmName: a.node,
      equivalent: `POST /v4/lke/clusters/${a.clusterId}/nodes/${a.nodeId}/recycle  (linode-cli lke node-recycle ${a.clusterId} ${a.nodeId})`,
    }),
    preview: TWIN_ONLY,
    perform: (a, w) => w.linode.recycleLkeNode(a.clusterId, a.nodeId),
  },
  'linode.reboot': {
    permissions: linode('linodes', 'read_write'),
    describe: (a) => ({
      title: `reboot Linode ${a.linodeLabel} (${a.linodeId}) behind node ${a.node}`,
      before: 'running, its kubelet not answering',
      after: 'restarted with its disks; everything on it is killed and starts again',
      destructive: true,
      confirmName: a.node,
      equivalent: `POST /v4/linode/instances/${a.linodeId}/reboot  (linode-cli linodes reboot ${a.linodeId})`,
    }),
    preview: TWIN_ONLY,
    perform: (a, w) => w.linode.rebootLinode(a.linodeId),
  },
} satisfies ActionDefinitions<LinodeAction>;

export interface VolumeDetachedWait {
  readonly kind: 'linode.volume-detached';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly timeoutMs: number;
}

export type LinodeWait = VolumeDetachedWait;

export const volumeDetached = builder<VolumeDetachedWait>('linode.volume-detached');

export const linodeWaits = {
  'linode.volume-detached': {
    permissions: reads.linode('getVolume', 'recentEvents'),
    describe: (w) => `wait until Linode reports volume ${w.volumeLabel} detached`,
    watched: () => 'poll',
    async evaluate(wait, read) {
      const volume = await read.linode.getVolume(wait.volumeId);
      if (volume === undefined)
        return { outcome: { status: 'met', detail: `volume ${wait.volumeLabel} no longer exists` } };
      if (volume.linode_id === null)
        return { outcome: { status: 'met', detail: `volume ${wait.volumeLabel} is detached` } };
      const [event] = await read.linode.recentEvents('volume', wait.volumeId, 'volume_detach');
      if (event?.status === 'failed') {
        return {
          outcome: { status: 'stuck', detail: `Linode reports the detach of ${wait.volumeLabel} failed` },
        };
      }
      const linode = volume.linode_label ?? String(volume.linode_id);
      // The event can finish before the volume stops naming its Linode: the volume is what is waited for.
      const waiting =
        event?.status === 'finished'
          ? `volume_detach ${eventProgress(event)}, but volume ${wait.volumeLabel} still names Linode ${linode}: waiting until it shows detached`
          : `volume ${wait.volumeLabel} is still attached to Linode ${linode}; ${
              event === undefined ? 'no volume_detach event yet' : `volume_detach ${eventProgress(event)}`
            }`;
      return {
        waiting,
        soon: event?.status === 'started' && (event.percent_complete ?? 0) >= 50,
      };
    },
  },
} satisfies WaitDefinitions<LinodeWait>;
