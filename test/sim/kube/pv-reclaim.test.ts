// Reclaim policy Delete against the real simulated Linode: a released PV's Linode volume is deleted
// once detached (refused while attached, with VolumeFailedDelete) and the PV goes; Retain keeps both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { type Scenario, settle } from '../../../src/sim/scenario.js';
import { claim, deployment } from '../../../src/sim/scenarios/manifests.js';
import { NODES } from '../../../src/sim/scenarios/workloads.js';
import { type RunningSimulator, scenarioLoader, startSimulator } from '../../../src/sim/server.js';
import type { KubeObject } from '../../../src/sim/world.js';

/** A claim of `storageClassName` (linode-block-storage reclaims with Delete, -retain with Retain). */
function claimOf(name: string, storageClassName: string): KubeObject {
  const object = claim(name, 'default', '10Gi');
  return { ...object, spec: { ...(object.spec as object), storageClassName } };
}

const world: Scenario = {
  name: 'pv-reclaim-test',
  summary: 'Claims of both Linode storage classes, one in use by a Deployment.',
  postmortems: [],
  alert: 'none',
  clusterId: 13311,
  poolId: 16405,
  k8sVersion: '1.32',
  nodes: NODES.slice(0, 2),
  manifests: [
    claimOf('scratch', 'linode-block-storage'),
    claimOf('archive', 'linode-block-storage-retain'),
    claimOf('stray', 'linode-block-storage'),
    claimOf('cache', 'linode-block-storage'),
    deployment('cache', 'default', 1, { image: 'redis:6', claim: { name: 'cache', mountPath: '/data' } }),
  ],
  faults: [],
  recovered: () => ({ ok: true, detail: '' }),
};

describe('kube sim: PersistentVolume reclaim through the Linode CSI', () => {
  let sim: RunningSimulator;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;

  before(async () => {
    sim = await startSimulator({ world: scenarioLoader(world), speed: 'instant' });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(sim.kubeconfig());
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });
  after(() => sim.stop());

  /** The PV bound to a claim and the label of its Linode volume (`pvc<16hex>`, the default form). */
  const volumeOf = (claimName: string): { pv: string; label: string } => {
    const pvc = sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', claimName);
    const pv = (pvc?.spec as { volumeName?: string } | undefined)?.volumeName;
    assert.ok(pv, `${claimName} is bound`);
    return { pv, label: pv.replace('-', '') };
  };
  const pvPhase = (pv: string): string | undefined =>
    (sim.world.kube.get('v1', 'PersistentVolume', undefined, pv)?.status as { phase?: string } | undefined)
      ?.phase;
  const failedDeletes = (pv: string): KubeObject[] =>
    sim.world.kube
      .list('v1', 'Event', 'default')
      .filter(
        (e) =>
          (e.involvedObject as { kind?: string; name?: string }).name === pv &&
          (e.involvedObject as { kind?: string }).kind === 'PersistentVolume' &&
          e.reason === 'VolumeFailedDelete',
      );
  const deleteClaim = async (name: string): Promise<void> => {
    await core.deleteNamespacedPersistentVolumeClaim({ name, namespace: 'default' });
    await settle(sim.world);
  };

  it('Delete: the PV is released, its detached Linode volume deleted, then the PV object', async () => {
    const { pv, label } = volumeOf('scratch');
    const volume = sim.world.linode.volumeByLabel(label);
    assert.ok(volume);
    assert.equal(volume.linode_id, null);
    assert.equal(pvPhase(pv), 'Bound');
    await deleteClaim('scratch');
    assert.equal(sim.world.kube.get('v1', 'PersistentVolume', undefined, pv), undefined, 'the PV is gone');
    assert.equal(sim.world.linode.volume(volume.id), undefined, 'the Linode volume is gone');
    const deleted = sim.world.linode
      .events()
      .filter((e) => e.action === 'volume_delete' && e.entity.id === volume.id);
    assert.deepEqual(
      deleted.map((e) => e.status),
      ['notification'],
    );
    assert.deepEqual(failedDeletes(pv), []);
  });

  it('Retain: the PV stays Released and the Linode volume stays', async () => {
    const { pv, label } = volumeOf('archive');
    const volume = sim.world.linode.volumeByLabel(label);
    assert.ok(volume);
    await deleteClaim('archive');
    assert.equal(sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', 'archive'), undefined);
    assert.equal(pvPhase(pv), 'Released');
    assert.equal(sim.world.linode.volume(volume.id)?.label, label);
    assert.ok(
      !sim.world.linode.events().some((e) => e.action === 'volume_delete' && e.entity.id === volume.id),
    );
    assert.deepEqual(failedDeletes(pv), []);
  });

  it('Delete while Linode has the volume attached: refused, VolumeFailedDelete, PV kept until detached', async () => {
    const { pv, label } = volumeOf('stray');
    const volume = sim.world.linode.volumeByLabel(label);
    assert.ok(volume);
    // Attached at Linode with no VolumeAttachment (as an unclean recycle leaves it, 2021-07-11).
    const node = sim.world.linode.createInstance({ label: 'old-recycled-node', ipv4: '172.104.9.9' });
    assert.deepEqual(sim.world.linode.attachVolume(volume.id, node.id), { ok: true });
    await deleteClaim('stray');
    assert.equal(pvPhase(pv), 'Released');
    assert.equal(sim.world.linode.volume(volume.id)?.linode_id, node.id, 'the Linode volume is kept');
    const events = failedDeletes(pv);
    assert.equal(events.length, 1, 'one Event, its count rising with each retry');
    assert.equal(events[0]?.type, 'Warning');
    assert.equal(
      events[0]?.message,
      'rpc error: code = Internal desc = [400] Your volume must be detached before it can be deleted.',
    );
    assert.ok(Number(events[0]?.count) > 1, `retried: count ${String(events[0]?.count)}`);
    assert.match(
      String((events[0]?.source as { component?: string }).component),
      /^linodebs\.csi\.linode\.com_/,
    );

    assert.deepEqual(sim.world.linode.detachVolume(volume.id), { ok: true });
    await settle(sim.world);
    assert.equal(sim.world.linode.volume(volume.id), undefined, 'deleted once detached');
    assert.equal(sim.world.kube.get('v1', 'PersistentVolume', undefined, pv), undefined);
  });

  it('Delete while a VolumeAttachment still holds the volume: the provisioner waits for the detach', async () => {
    const { pv, label } = volumeOf('cache');
    const volume = sim.world.linode.volumeByLabel(label);
    assert.notEqual(volume?.linode_id ?? null, null, 'the running pod has it attached');
    const nodeName = (
      sim.world.kube
        .list('storage.k8s.io/v1', 'VolumeAttachment')
        .find(
          (va) =>
            (va.spec as { source: { persistentVolumeName: string } }).source.persistentVolumeName === pv,
        )?.spec as { nodeName: string } | undefined
    )?.nodeName;
    assert.ok(nodeName);
    await core.deleteNamespacedPersistentVolumeClaim({ name: 'cache', namespace: 'default' });
    await apps.deleteNamespacedDeployment({ name: 'cache', namespace: 'default' });
    await settle(sim.world);
    assert.deepEqual(
      failedDeletes(pv).map((e) => e.message),
      [`persistentvolume ${pv} is still attached to node ${nodeName}`],
    );
    assert.equal(sim.world.kube.list('storage.k8s.io/v1', 'VolumeAttachment').length, 0);
    assert.equal(sim.world.linode.volume(volume?.id ?? 0), undefined, 'deleted after the detach');
    assert.equal(sim.world.kube.get('v1', 'PersistentVolume', undefined, pv), undefined);
  });
});
