// Making Linode block-storage volumes: create, clone and resize, and the wait until a volume is
// active, each defined once. The Linode API has no dry run: a rehearsal applies them to the twin only.
import { RunbookError } from '../errors.js';
import { type ActionDefinitions, type WaitDefinitions, builder, eventProgress, quote } from './define.js';
import { TWIN_ONLY } from './linode.js';
import { linode } from '../permissions/permission.js';
import { reads } from '../permissions/readers.js';

/** POST /volumes: a new volume in a region, attached to a Linode there when `linodeId` is given. */
export interface VolumeCreateAction {
  readonly kind: 'linode.volume.create';
  readonly label: string;
  /** GiB. */
  readonly size: number;
  readonly region: string;
  readonly linodeId?: number;
}

/** POST /volumes/{id}/clone: a new volume with the source's size and data, in its region. */
export interface VolumeCloneAction {
  readonly kind: 'linode.volume.clone';
  readonly sourceId: number;
  readonly sourceLabel: string;
  /** The source's size in GiB, which the clone has too. */
  readonly size: number;
  readonly label: string;
}

/** POST /volumes/{id}/resize: a volume grows (never shrinks); the filesystem is grown by the node. */
export interface VolumeResizeAction {
  readonly kind: 'linode.volume.resize';
  readonly volumeId: number;
  readonly volumeLabel: string;
  readonly from: number;
  readonly to: number;
}

export type LinodeVolumeAction = VolumeCreateAction | VolumeCloneAction | VolumeResizeAction;

export const createVolume = builder<VolumeCreateAction>('linode.volume.create');

export const cloneVolume = (
  source: { readonly id: number; readonly label: string; readonly size: number },
  label: string,
): VolumeCloneAction => ({
  kind: 'linode.volume.clone',
  sourceId: source.id,
  sourceLabel: source.label,
  size: source.size,
  label,
});

/** Refused here, before any call, unless `to` is larger: Linode volumes only grow. */
export function resizeVolume(
  volume: { readonly id: number; readonly label: string; readonly size: number },
  to: number,
): VolumeResizeAction {
  if (!(to > volume.size)) throw resizeRefused(volume.label, volume.size, to);
  return {
    kind: 'linode.volume.resize',
    volumeId: volume.id,
    volumeLabel: volume.label,
    from: volume.size,
    to,
  };
}

const resizeRefused = (label: string, from: number, to: number): RunbookError =>
  new RunbookError(
    'step-failed',
    `Volume ${label} cannot be resized from ${from} GiB to ${to} GiB: Linode volumes only grow.`,
    { next: `Give a size above ${from} GiB, or clone the data onto a new, smaller volume instead.` },
  );

export const linodeVolumeActions = {
  'linode.volume.create': {
    permissions: linode('volumes', 'read_write'),
    describe: (a) => ({
      title: `create Linode volume ${a.label} (${a.size} GiB in ${a.region})`,
      before: `no volume labelled ${a.label}`,
      after: `volume ${a.label} of ${a.size} GiB in ${a.region}${a.linodeId === undefined ? ', detached' : `, attached to Linode ${a.linodeId}`} (creating, then active)`,
      destructive: false,
      confirmName: undefined,
      equivalent: `POST /v4/volumes ${JSON.stringify({ label: a.label, size: a.size, region: a.region, ...(a.linodeId === undefined ? {} : { linode_id: a.linodeId }) })}  (linode-cli volumes create --label ${quote(a.label)} --size ${a.size} --region ${a.region})`,
    }),
    preview: TWIN_ONLY,
    perform: (a, w) =>
      w.linode.createVolume({
        label: a.label,
        size: a.size,
        region: a.region,
        ...(a.linodeId === undefined ? {} : { linodeId: a.linodeId }),
      }),
  },
  'linode.volume.clone': {
    permissions: linode('volumes', 'read_write'),
    describe: (a) => ({
      title: `clone Linode volume ${a.sourceLabel} (${a.sourceId}) as ${a.label}`,
      before: `volume ${a.sourceLabel} of ${a.size} GiB; no volume labelled ${a.label}`,
      after: `volume ${a.label}: a copy of ${a.sourceLabel} (${a.size} GiB, same region, detached); ${a.sourceLabel} unchanged`,
      destructive: false,
      confirmName: undefined,
      equivalent: `POST /v4/volumes/${a.sourceId}/clone {"label":${JSON.stringify(a.label)}}  (linode-cli volumes clone ${a.sourceId} --label ${quote(a.label)})`,
    }),
    preview: TWIN_ONLY,
    perform: (a, w) => w.linode.cloneVolume(a.sourceId, a.label),
  },
  'linode.volume.resize': {
    permissions: linode('volumes', 'read_write'),
    describe: (a) => ({
      title: `resize Linode volume ${a.volumeLabel} (${a.volumeId}) from ${a.from} to ${a.to} GiB`,
      before: `${a.from} GiB`,
      after: `${a.to} GiB (a volume cannot shrink again)`,
      destructive: false,
      confirmName: undefined,
      equivalent: `POST /v4/volumes/${a.volumeId}/resize {"size":${a.to}}  (linode-cli volumes resize ${a.volumeId} --size ${a.to})`,
    }),
    preview: TWIN_ONLY,
    perform: async (a, w) => {
      // Data that says otherwise (built without resizeVolume) is refused before the call too.
      if (!(a.to > a.from)) throw resizeRefused(a.volumeLabel, a.from, a.to);
      await w.linode.resizeVolume(a.volumeId, a.to);
    },
  },
} satisfies ActionDefinitions<LinodeVolumeAction>;

/** Linode reports the volume `active` (creating, cloning or resizing over), at least `size` GiB. */
export interface VolumeActiveWait {
  readonly kind: 'linode.volume-active';
  /** By label: a volume being created has no id the plan could know. */
  readonly volumeLabel: string;
  readonly size?: number;
  readonly timeoutMs: number;
}

export type LinodeVolumeWait = VolumeActiveWait;

export const volumeActive = builder<VolumeActiveWait>('linode.volume-active');

export const linodeVolumeWaits = {
  'linode.volume-active': {
    permissions: reads.linode('findVolumes', 'recentEvents'),
    describe: (w) =>
      `wait until Linode reports volume ${w.volumeLabel} active${w.size === undefined ? '' : ` with ${w.size} GiB`}`,
    watched: () => 'poll',
    async evaluate(wait, read) {
      const [volume, ...others] = await read.linode.findVolumes(wait.volumeLabel);
      if (volume === undefined) return { waiting: `no volume labelled ${wait.volumeLabel} yet` };
      if (others.length > 0) {
        return {
          outcome: {
            status: 'stuck',
            detail: `${others.length + 1} volumes are labelled ${wait.volumeLabel}`,
          },
        };
      }
      const grown = wait.size === undefined || volume.size >= wait.size;
      if (volume.status === 'active' && grown) {
        return {
          outcome: { status: 'met', detail: `volume ${wait.volumeLabel} is active, ${volume.size} GiB` },
        };
      }
      const events = await read.linode.recentEvents('volume', volume.id);
      const event = events.find((e) => ['volume_create', 'volume_clone', 'volume_resize'].includes(e.action));
      if (event?.status === 'failed') {
        return {
          outcome: {
            status: 'stuck',
            detail: `Linode reports the ${event.action} of ${wait.volumeLabel} failed`,
          },
        };
      }
      const progress = event === undefined ? 'no event yet' : `${event.action} ${eventProgress(event)}`;
      return {
        waiting: `volume ${wait.volumeLabel} is ${volume.status}, ${volume.size} GiB; ${progress}`,
        soon: event?.status === 'started' && (event.percent_complete ?? 0) >= 50,
      };
    },
  },
} satisfies WaitDefinitions<LinodeVolumeWait>;
