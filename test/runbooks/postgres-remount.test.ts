// postgres-remount end to end: the built CLI, a separate process, against the simulator over HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/sim/world.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

interface PodLike extends KubeObject {
  spec?: { nodeName?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

function postgresPods(h: SimHarness): PodLike[] {
  return h.sim.world.kube.list('v1', 'Pod', 'default').filter((p) => p.metadata.labels?.app === 'postgres');
}

function postgresVolume(h: SimHarness): { id: number; label: string; linode_id: number | null } {
  const pvc = h.get<{ spec: { volumeName: string } }>(
    'v1',
    'PersistentVolumeClaim',
    'default',
    'postgres-storage',
  );
  assert.ok(pvc !== undefined);
  const pv = h.get<{ spec: { csi: { volumeHandle: string } } }>(
    'v1',
    'PersistentVolume',
    undefined,
    pvc.spec.volumeName,
  );
  assert.ok(pv !== undefined);
  const id = Number(pv.spec.csi.volumeHandle.split('-')[0]);
  const volume = h.sim.world.linode.volume(id);
  assert.ok(volume !== undefined);
  return volume;
}

function linodeOfNode(h: SimHarness, nodeName: string): number {
  const node = h.get<{ spec: { providerID: string } }>('v1', 'Node', undefined, nodeName);
  return Number(node?.spec.providerID.replace('linode://', ''));
}

describe('postgres-remount on the 2020-12-11 connection-surge scenario, with --yes', () => {
  let h: SimHarness;
  let result: Awaited<ReturnType<typeof runCli>>;
  let podBefore: PodLike | undefined;

  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    podBefore = postgresPods(h)[0];
    result = await runCli(['postgres-remount', '--yes'], { env: h.env() });
  });
  after(() => h.stop());

  it('finishes with exit 0 and says what it did', () => {
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /scale deployment default\/postgres from 1 to 0/);
    assert.match(result.stdout, /cannot be killed by its kubelet \(FailedKillPod/);
    assert.match(result.stdout, /force-delete pod default\/postgres-/);
    assert.match(result.stdout, /detach Linode volume pvc[0-9a-f]{16}/);
    assert.match(result.stdout, /✔ postgres-remount finished/);
  });

  it('leaves Postgres Ready with its original replica count', () => {
    const deployment = h.get<{ spec: { replicas: number }; status: { readyReplicas?: number } }>(
      'apps/v1',
      'Deployment',
      'default',
      'postgres',
    );
    assert.ok(deployment !== undefined);
    assert.equal(deployment.spec.replicas, 1);
    assert.equal(deployment.status.readyReplicas, 1);
    const pods = postgresPods(h);
    assert.equal(pods.length, 1);
    assert.notEqual(pods[0]?.metadata.uid, podBefore?.metadata.uid);
    assert.ok(pods[0]?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });

  it('leaves the volume attached to the Linode of the node the new pod runs on', () => {
    const nodeName = postgresPods(h)[0]?.spec?.nodeName;
    assert.ok(nodeName !== undefined);
    assert.equal(postgresVolume(h).linode_id, linodeOfNode(h, nodeName));
  });

  it('detached the volume at Linode once, after the pod was gone', () => {
    const mutations = h.mutations();
    const detaches = mutations.filter((r) => /^\/v4\/volumes\/\d+\/detach$/.test(r.path));
    assert.equal(detaches.length, 1);
    const forceDelete = mutations.findIndex(
      (r) => r.method === 'DELETE' && r.path.includes('/pods/postgres-'),
    );
    const detach = mutations.findIndex((r) => /\/detach$/.test(r.path));
    assert.ok(
      forceDelete >= 0 && forceDelete < detach,
      'the pod is force-deleted before the volume is detached',
    );
  });
});

describe('postgres-remount --dry-run', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  it('shows the plan of every step and sends no request that changes anything', async () => {
    const result = await runCli(['postgres-remount', '--dry-run'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /DRY RUN: nothing will be changed/);
    for (const step of [
      'Locate Postgres',
      'Take Postgres down',
      'Force-delete',
      'Detach the volume',
      'Bring Postgres back',
      'Check Postgres',
    ]) {
      assert.match(result.stdout, new RegExp(step));
    }
    assert.match(result.stdout, /equivalent: kubectl -n default scale deployment\/postgres --replicas=0/);
    assert.match(result.stdout, /twin {5}\d+ Kubernetes objects, 3 Linodes and 2 volumes copied/);
    // Planned against the twin, the step after the take-down sees Postgres at 0 and plans its return.
    assert.match(result.stdout, /scale deployment default\/postgres from 0 to 1/);
    assert.deepEqual(h.mutations(), []);
    assert.equal(postgresPods(h).length, 1);
    // Kubernetes changes were also checked by the live server, without being applied.
    assert.ok(
      h.previews().some((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/postgres/scale')),
    );
    assert.match(
      result.stdout,
      /verified {8}scale deployment default\/postgres from 1 to 0: the live API server accepted it with dryRun=All/,
    );
  });
});

describe('postgres-remount on a healthy cluster', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('remounts without forcing anything: no force delete, no detach by hand', async () => {
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /Postgres looks healthy to Kubernetes/);
    const mutations = h.mutations();
    assert.equal(mutations.filter((r) => r.method === 'DELETE').length, 0);
    assert.equal(mutations.filter((r) => r.api === 'linode').length, 0);
    const nodeName = postgresPods(h)[0]?.spec?.nodeName;
    assert.ok(nodeName !== undefined);
    assert.equal(postgresVolume(h).linode_id, linodeOfNode(h, nodeName));
  });

  it('run again right after, it plans nothing harmful and ends in the same state', async () => {
    const before = h.mutations().length;
    const result = await runCli(['postgres-remount', '--yes'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const again = h.mutations().slice(before);
    assert.ok(
      again.every((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/postgres/scale')),
      JSON.stringify(again),
    );
    assert.equal(postgresPods(h).length, 1);
  });
});
