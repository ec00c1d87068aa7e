// The Linode block-storage CSI path: PVC → Linode volume + PV, VolumeAttachment ↔ Linode attach,
// FailedAttachVolume while the volume is attached elsewhere, detach on scale-down, stuck detach.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import type { KubeObject } from '../../../src/sim/world.js';
import { addNode, deployment, eventsFor, isReady, podsOf, startHarness, type Harness } from './harness.js';

function pvc(name: string, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
  };
}

const vaFor = (h: Harness, pvName: string): KubeObject | undefined =>
  h.sim
    .list('storage.k8s.io/v1', 'VolumeAttachment')
    .find(
      (va) =>
        (va.spec as { source: { persistentVolumeName: string } }).source.persistentVolumeName === pvName,
    );

describe('kube sim Linode CSI', () => {
  let h: Harness;
  let nodeA: number;
  let nodeB: number;
  before(async () => {
    h = await startHarness();
    nodeA = addNode(h, 'lke1-node-a', '172.105.1.1').linodeId;
    nodeB = addNode(h, 'lke1-node-b', '172.105.1.2').linodeId;
  });
  after(async () => {
    await h.close();
  });

  it('seeds the Linode storage classes, retain as the default', async () => {
    const classes = await h.storage.listStorageClass();
    const retain = classes.items.find((c) => c.metadata?.name === 'linode-block-storage-retain');
    assert.equal(retain?.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.equal(retain?.provisioner, 'linodebs.csi.linode.com');
    assert.equal(retain?.reclaimPolicy, 'Retain');
    assert.ok(classes.items.some((c) => c.metadata?.name === 'linode-block-storage'));
  });

  it('provisions a claim: Linode volume pvc<16hex>, PV pvc-<16hex> bound with a CSI handle', async () => {
    h.sim.create(pvc('pgdata'));
    const bound = await h.until('pvc Bound', () => {
      const c = h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'pgdata');
      return (c?.status as { phase?: string } | undefined)?.phase === 'Bound' ? c : undefined;
    });
    const pvName = (bound.spec as { volumeName: string }).volumeName;
    assert.match(pvName, /^pvc-[0-9a-f]{16}$/);
    assert.deepEqual(bound.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    assert.equal(
      (bound.spec as { storageClassName: string }).storageClassName,
      'linode-block-storage-retain',
    );
    const pv = await h.core.readPersistentVolume({ name: pvName });
    const label = pvName.replace('-', '');
    const volume = h.linode.volumeByLabel(label);
    assert.ok(volume, `Linode volume ${label}`);
    assert.equal(volume.size, 20);
    assert.equal(pv.spec?.csi?.driver, 'linodebs.csi.linode.com');
    assert.equal(pv.spec?.csi?.volumeHandle, `${volume.id}-${label}`);
    assert.equal(pv.spec?.csi?.fsType, 'ext4');
    assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Retain');
    assert.equal(pv.spec?.claimRef?.name, 'pgdata');
    assert.equal(pv.status?.phase, 'Bound');
    assert.deepEqual(pv.metadata?.finalizers, ['kubernetes.io/pv-protection']);
    const reasons = eventsFor(h, 'pgdata').map((e) => e.reason);
    assert.deepEqual(reasons.filter((r) => r !== undefined).sort(), [
      'ExternalProvisioning',
      'Provisioning',
      'ProvisioningSucceeded',
    ]);
  });

  it('runs a pod only after its VolumeAttachment is attached and the volume is on the node’s Linode', async () => {
    h.sim.create(deployment('postgres', 1, { claim: 'pgdata' }));
    const pod = await h.until('postgres Ready', () => podsOf(h, 'postgres').find(isReady));
    const nodeName = (pod.spec as { nodeName: string }).nodeName;
    const pvName = (
      h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'pgdata')?.spec as { volumeName: string }
    ).volumeName;
    const va = vaFor(h, pvName);
    assert.ok(va);
    assert.match(va.metadata.name, /^csi-[0-9a-f]{64}$/);
    assert.deepEqual(va.metadata.finalizers, ['external-attacher/linodebs-csi-linode-com']);
    assert.equal((va.status as { attached: boolean }).attached, true);
    assert.equal((va.spec as { nodeName: string }).nodeName, nodeName);
    const volume = h.linode.volumeByLabel(pvName.replace('-', ''));
    assert.equal(volume?.linode_id, nodeName === 'lke1-node-a' ? nodeA : nodeB);
    const attach = eventsFor(h, pod.metadata.name).find((e) => e.reason === 'SuccessfulAttachVolume');
    assert.equal(attach?.message, `AttachVolume.Attach succeeded for volume "${pvName}"`);
    // The pod reached Running only after the attach event.
    const started = eventsFor(h, pod.metadata.name).find((e) => e.reason === 'Started');
    assert.ok(Date.parse(String(started?.firstTimestamp)) >= Date.parse(String(attach?.firstTimestamp)));
  });

  it('scaling to 0 deletes the VolumeAttachment and detaches the Linode volume', async () => {
    const pvName = (
      h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'pgdata')?.spec as { volumeName: string }
    ).volumeName;
    await h.apps.patchNamespacedDeploymentScale(
      { name: 'postgres', namespace: 'default', body: { spec: { replicas: 0 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await h.until('VolumeAttachment gone', () => vaFor(h, pvName) === undefined);
    assert.equal(h.linode.volumeByLabel(pvName.replace('-', ''))?.linode_id, null);
  });

  it('a volume attached to another Linode gives FailedAttachVolume, then attaches once detached', async () => {
    const pvName = (
      h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'pgdata')?.spec as { volumeName: string }
    ).volumeName;
    const volume = h.linode.volumeByLabel(pvName.replace('-', ''));
    assert.ok(volume);
    const stray = h.linode.createInstance({ label: 'old-recycled-node', ipv4: '172.105.9.9' });
    assert.deepEqual(h.linode.attachVolume(volume.id, stray.id), { ok: true });
    await h.apps.patchNamespacedDeploymentScale(
      { name: 'postgres', namespace: 'default', body: { spec: { replicas: 1 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const failed = await h.until('FailedAttachVolume', () => {
      for (const p of podsOf(h, 'postgres')) {
        const e = eventsFor(h, p.metadata.name).find((x) => x.reason === 'FailedAttachVolume');
        if (e) return { pod: p, event: e };
      }
      return undefined;
    });
    assert.equal(failed.event.type, 'Warning');
    assert.equal(
      failed.event.message,
      `AttachVolume.Attach failed for volume "${pvName}" : rpc error: code = FailedPrecondition desc = volume ${volume.id} is already attached to linode ${stray.id}`,
    );
    const pod = h.sim.get('v1', 'Pod', 'default', failed.pod.metadata.name);
    const waiting = (pod?.status as { containerStatuses: Array<{ state: { waiting?: { reason: string } } }> })
      .containerStatuses[0];
    assert.equal(waiting?.state.waiting?.reason, 'ContainerCreating');
    assert.equal((vaFor(h, pvName)?.status as { attached: boolean }).attached, false);
    // The fix: detach at Linode; the attacher's retry succeeds.
    assert.deepEqual(h.linode.detachVolume(volume.id), { ok: true });
    const ready = await h.until('postgres Ready after detach', () => podsOf(h, 'postgres').find(isReady));
    const node = h.sim.get('v1', 'Node', undefined, (ready.spec as { nodeName: string }).nodeName);
    assert.equal(
      h.linode.volume(volume.id)?.linode_id,
      (node?.spec as { providerID: string }).providerID === `linode://${nodeA}` ? nodeA : nodeB,
    );
  });

  it('volume-stuck-attached: the VolumeAttachment keeps a detachError until the volume is detached by hand', async () => {
    const pvName = (
      h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'pgdata')?.spec as { volumeName: string }
    ).volumeName;
    const volume = h.linode.volumeByLabel(pvName.replace('-', ''));
    assert.ok(volume);
    h.faults.add({ kind: 'volume-stuck-attached', namespace: 'default', pvc: 'pgdata' });
    const detachCalls = h.linode.calls.filter((c) => c.startsWith('detach')).length;
    await h.apps.patchNamespacedDeploymentScale(
      { name: 'postgres', namespace: 'default', body: { spec: { replicas: 0 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const va = await h.until('detachError', () => {
      const v = vaFor(h, pvName);
      return (v?.status as { detachError?: unknown } | undefined)?.detachError !== undefined ? v : undefined;
    });
    assert.ok(va.metadata.deletionTimestamp);
    assert.equal(
      (va.status as { detachError: { message: string } }).detachError.message,
      'rpc error: code = Internal desc = failed to detach volume',
    );
    assert.notEqual(h.linode.volume(volume.id)?.linode_id, null);
    assert.equal(
      h.linode.calls.filter((c) => c.startsWith('detach')).length,
      detachCalls,
      'the CSI did not call detach',
    );
    // The runbook detaches at Linode; the attacher notices and lets the VolumeAttachment go.
    h.linode.detachVolume(volume.id);
    await h.until('VolumeAttachment gone', () => vaFor(h, pvName) === undefined);
    h.faults.clear();
  });

  it('binds a claim to a pre-created Linode volume named by annotation', async () => {
    const existing = h.linode.createVolume({ label: 'pvc0123456789abcdef', size: 10 });
    h.sim.create(pvc('legacy', { 'sim.runbook.dev/linode-volume-label': 'pvc0123456789abcdef' }));
    const bound = await h.until('legacy Bound', () => {
      const c = h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'legacy');
      return (c?.status as { phase?: string } | undefined)?.phase === 'Bound' ? c : undefined;
    });
    const pv = h.sim.get(
      'v1',
      'PersistentVolume',
      undefined,
      (bound.spec as { volumeName: string }).volumeName,
    );
    assert.equal(
      (pv?.spec as { csi: { volumeHandle: string } }).csi.volumeHandle,
      `${existing.id}-pvc0123456789abcdef`,
    );
  });
});

describe('kube sim Linode CSI label form', () => {
  it("names new volumes pvc-<16hex> with volumeLabelForm 'pvc-'", async () => {
    const h = await startHarness({ volumeLabelForm: 'pvc-' });
    try {
      h.sim.create(pvc('data'));
      const bound = await h.until('Bound', () => {
        const c = h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'data');
        return (c?.status as { phase?: string } | undefined)?.phase === 'Bound' ? c : undefined;
      });
      const pvName = (bound.spec as { volumeName: string }).volumeName;
      assert.ok(h.linode.volumeByLabel(pvName));
    } finally {
      await h.close();
    }
  });
});
