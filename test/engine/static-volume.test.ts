// The storage kinds of change end to end through the executor against the simulator: a static
// PersistentVolume over an existing Linode volume and a claim that names it. A dry run creates
// nothing; --yes creates them, they bind, and a pod mounts the volume; a PV is deleted only as read.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectTarget } from '../../src/cli/target.js';
import { executeAction } from '../../src/engine/executor.js';
import type { Writers } from '../../src/engine/ports.js';
import { apply, createPvc, deletePv, linodeStaticPv } from '../../src/engine/vocabulary/index.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const consumer = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'restored-reader', namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'restored-reader' } },
    template: {
      metadata: { labels: { app: 'restored-reader' } },
      spec: {
        containers: [
          { name: 'reader', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'restored' } }],
      },
    },
  },
};

interface ConsumerPod {
  metadata: { name: string };
  spec: { volumes: Array<{ persistentVolumeClaim?: { claimName: string } }> };
  status?: { phase?: string };
}

/** The consumer's pod once Running, its volume mounted: the simulator's clock moved on, bounded. */
async function runningPod(h: SimHarness): Promise<ConsumerPod> {
  for (let turn = 0; turn < 60; turn++) {
    const pods = h.sim.world.kube
      .list('v1', 'Pod', 'default')
      .filter((p) => p.metadata.name.startsWith('restored-reader-')) as unknown as ConsumerPod[];
    const running = pods.find((p) => p.status?.phase === 'Running');
    if (running !== undefined) return running;
    h.sim.world.clock.advance(1_000);
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the pod using the claim never ran');
}

describe('k8s.create-pv, k8s.create-pvc and k8s.delete-pv on the simulator', () => {
  let h: SimHarness;
  let write: Writers;
  before(async () => {
    h = await startSimHarness('healthy');
    ({ write } = await connectTarget({ kubeconfig: h.kubeconfig, env: h.env() }));
  });
  after(() => h.stop());

  const pvOf = (name: string) => h.sim.world.kube.get('v1', 'PersistentVolume', undefined, name);
  const claimOf = (name: string) => h.sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', name);

  it('creates nothing in a dry run; with --yes the static PV and its claim bind and a pod mounts it', async () => {
    const volume = h.sim.world.linode.createVolume({ label: 'restored-data', size: 20 });
    const pv = linodeStaticPv(volume, {
      name: 'restored-pv',
      claim: { namespace: 'default', name: 'restored' },
    });
    const claim = createPvc({
      namespace: 'default',
      name: 'restored',
      storageClass: 'linode-block-storage-retain',
      size: '20Gi',
      volumeName: 'restored-pv',
    });

    await executeAction(pv, write, { dryRun: true });
    await executeAction(claim, write, { dryRun: true });
    assert.equal(pvOf('restored-pv'), undefined, 'a dry run created no PersistentVolume');
    assert.equal(claimOf('restored'), undefined, 'a dry run created no claim');
    assert.equal(h.previews().length, 2, 'both were checked by the server (dryRun=All)');

    await executeAction(pv, write);
    await executeAction(claim, write);
    const created = pvOf('restored-pv');
    assert.equal(
      (created?.spec as { csi?: { volumeHandle?: string } }).csi?.volumeHandle,
      `${volume.id}-restored-data`,
    );
    assert.equal((claimOf('restored')?.status as { phase?: string }).phase, 'Bound');
    assert.equal((pvOf('restored-pv')?.status as { phase?: string }).phase, 'Bound');

    await executeAction(apply(consumer, 'restored-reader.yaml'), write);
    const pod = await runningPod(h);
    assert.equal(pod.spec.volumes[0]?.persistentVolumeClaim?.claimName, 'restored');
    const attachedTo = h.sim.world.linode.volume(volume.id)?.linode_id;
    assert.notEqual(attachedTo, null, 'the CSI driver attached the Linode volume for the pod');
  });

  it('deletes a PersistentVolume only as the plan read it, and nothing in a dry run', async () => {
    const pv = linodeStaticPv({ id: 4242, label: 'spare', size: 10 }, { name: 'spare-pv' });
    await executeAction(pv, write);
    const uid = pvOf('spare-pv')?.metadata.uid ?? '';
    assert.notEqual(uid, '');
    await executeAction(deletePv('spare-pv', uid, undefined, 'Retain'), write, { dryRun: true });
    assert.equal(pvOf('spare-pv')?.metadata.deletionTimestamp, undefined, 'a dry run left it alone');
    await assert.rejects(
      executeAction(deletePv('spare-pv', 'uid-of-an-older-pv', undefined, 'Retain'), write),
    );
    assert.equal(
      pvOf('spare-pv')?.metadata.deletionTimestamp,
      undefined,
      'another incarnation is left alone',
    );
    await executeAction(deletePv('spare-pv', uid, undefined, 'Retain'), write);
    const left = pvOf('spare-pv');
    assert.ok(left === undefined || left.metadata.deletionTimestamp !== undefined, 'the PV is deleted');
  });
});
