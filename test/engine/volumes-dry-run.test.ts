// A dry run of the volume kinds of change through the CLI's preview: live sends no Linode mutation
// (the API has no dry run) and only dryRun=All to Kubernetes; the twin (here a second simulator)
// takes every change, so later steps are planned against it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPreview } from '../../src/cli/preview.js';
import { connectTarget } from '../../src/cli/target.js';
import type { Writers } from '../../src/engine/ports.js';
import { createPvc, createVolume } from '../../src/engine/vocabulary/index.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('a dry run of volume and claim creation', () => {
  let live: SimHarness;
  let twin: SimHarness;
  let liveWrite: Writers;
  let twinWrite: Writers;
  before(async () => {
    [live, twin] = await Promise.all([startSimHarness('healthy'), startSimHarness('healthy')]);
    liveWrite = (await connectTarget({ kubeconfig: live.kubeconfig, env: live.env() })).write;
    twinWrite = (await connectTarget({ kubeconfig: twin.kubeconfig, env: twin.env() })).write;
  });
  after(() => Promise.all([live.stop(), twin.stop()]));

  it('creates nothing live, and everything on the twin', async () => {
    const preview = createPreview(liveWrite, twinWrite);
    const step = { title: 'make the new volume' };
    const region = twin.sim.world.linode.volume(1_200_001)?.region ?? 'eu-central';
    await preview.perform(createVolume({ label: 'pg-data-16', size: 20, region }), step);
    await preview.perform(
      createPvc({
        namespace: 'default',
        name: 'pg-data-16',
        storageClass: 'linode-block-storage-retain',
        size: '20Gi',
      }),
      step,
    );

    assert.deepEqual(live.mutations(), [], 'live was sent no change');
    assert.equal(live.previews().length, 1, 'the claim was checked live with dryRun=All');
    assert.deepEqual(
      preview.entries.map((e) => e.label),
      ['modelled', 'verified'],
    );
    const twinLabels = twin.mutations().map((r) => `${r.method} ${r.path.split('?')[0] ?? ''}`);
    assert.ok(twinLabels.includes('POST /v4/volumes'), twinLabels.join(', '));
    assert.ok(
      twin.sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', 'pg-data-16') !== undefined,
      'the twin holds the claim',
    );
    assert.equal(live.sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', 'pg-data-16'), undefined);
  });
});
