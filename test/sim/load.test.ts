// `sim start --load <dir>`: ordinary multi-document manifests into a fresh cluster; and the real
// kubectl's `apply -f` into a running simulator, so a team can rehearse on its own cluster's shape.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestsLoader, reportLines } from '../../src/sim/load.js';
import { settle } from '../../src/sim/scenario.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

const APP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef: {name: web-config}
`;
const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {MODE: production}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: db-data, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
`;

describe('sim start --load <dir>', () => {
  let dir: string;
  let sim: RunningSimulator;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-load-'));
    writeFileSync(join(dir, 'app.yaml'), APP);
    mkdirSync(join(dir, 'base'));
    writeFileSync(join(dir, 'base', 'config.yml'), CONFIG);
    sim = await startSimulator({ world: manifestsLoader(dir), speed: 'instant' });
  });
  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates every document of every file on three Ready nodes, in an order that works', () => {
    assert.equal(sim.world.kube.list('v1', 'Node').length, 3);
    const pods = sim.world.kube.list('v1', 'Pod', 'shop');
    assert.equal(pods.length, 2);
    for (const pod of pods)
      assert.ok(
        (pod.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      );
    const pvc = sim.world.kube.get('v1', 'PersistentVolumeClaim', 'shop', 'db-data');
    assert.equal((pvc?.status as { phase?: string }).phase, 'Bound');
  });

  it('reports a kind the simulator does not serve as failed, naming the file, and loads the rest', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'runbook-load-bad-'));
    writeFileSync(
      join(bad, 'x.yaml'),
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: nightly}\n',
    );
    writeFileSync(join(bad, 'y.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}\n');
    const loader = manifestsLoader(bad);
    const other = await startSimulator({ world: loader, speed: 'instant' });
    await other.stop();
    assert.deepEqual(reportLines(loader.report), [
      'failed  x.yaml: Widget nightly: the simulator serves no example.com/v1 Widget',
      'Loaded: 1 applied, 0 skipped, 1 failed.',
    ]);
    rmSync(bad, { recursive: true, force: true });
  });

  it(
    'kubectl apply -f into the running simulator works',
    { skip: existsSync(KUBECTL) ? false : `${KUBECTL} is not installed` },
    async () => {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, sim.kubeconfig());
      const manifest = join(dir, 'extra.yaml');
      writeFileSync(
        manifest,
        APP.replace('name: web\n  namespace', 'name: api\n  namespace').replaceAll(
          '{app: web}',
          '{app: api}',
        ),
      );
      const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          KUBECTL,
          ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'apply', '-f', manifest],
          { timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, stdout, stderr }),
        );
      });
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /namespace\/shop configured/);
      assert.match(out.stdout, /deployment.apps\/api created/);
      await settle(sim.world);
      assert.equal(
        sim.world.kube.list('v1', 'Pod', 'shop').filter((p) => p.metadata.labels?.app === 'api').length,
        2,
      );
    },
  );
});
