// Linode power actions: boot, reboot and shutdown move the status through booting/rebooting/
// shutting_down on the clock, run a linode_* event, and answer 400 "Linode busy." meanwhile.
import { entity, startEvent } from './events.js';
import { REASON } from './reasons.js';
import { apiError, ok, type Reply } from './reply.js';
import type { InstanceRecord, Store } from './store.js';

export type PowerAction = 'boot' | 'reboot' | 'shutdown';

const PLAN: Record<PowerAction, { during: string; after: string }> = {
  boot: { during: 'booting', after: 'running' },
  reboot: { during: 'rebooting', after: 'running' },
  shutdown: { during: 'shutting_down', after: 'offline' },
};

/** Every simulated Linode has one configuration profile, which boot and reboot use. */
function configEntity(linode: InstanceRecord): { id: number; label: string; type: string; url: string } {
  return {
    id: linode.configId,
    label: 'Boot Config',
    type: 'linode_config',
    url: `/v4/linode/instances/${linode.id}/configs/${linode.configId}`,
  };
}

export function powerAction(store: Store, linodeId: number, action: PowerAction, configId?: unknown): Reply {
  const linode = store.instances.get(linodeId);
  if (linode === undefined) return apiError(404, REASON.notFound);
  if (linode.busy !== undefined || !['running', 'offline'].includes(linode.status)) {
    return apiError(400, REASON.busy);
  }
  if (action !== 'shutdown' && configId !== undefined && configId !== null && configId !== linode.configId) {
    return apiError(400, REASON.notFound, 'config_id');
  }
  const { during, after } = PLAN[action];
  // Booting a running Linode or shutting down an offline one changes nothing but still runs an event.
  const noop =
    (action === 'boot' && linode.status === 'running') ||
    (action === 'shutdown' && linode.status === 'offline');
  const before = linode.status;
  linode.busy = action;
  if (!noop) linode.status = during;
  linode.updated = store.clock.nowMs();
  startEvent(
    store,
    {
      action: `linode_${action}`,
      entity: entity('linode', linode.id, linode.label),
      secondaryEntity: action === 'shutdown' ? null : configEntity(linode),
    },
    {
      durationMs: store.delays.powerMs,
      onFail: () => {
        linode.busy = undefined;
        if (!noop) linode.status = before;
        linode.updated = store.clock.nowMs();
      },
      onFinish: () => {
        linode.busy = undefined;
        if (!noop) linode.status = after;
        linode.updated = store.clock.nowMs();
      },
    },
  );
  store.changed();
  return ok({});
}
