// kubectl 1.32 changing the simulated cluster: rollout restart and status, client-side apply of a
// changed manifest (last-applied-configuration, strategic merge patch), wait --for=delete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/world.js';
import { isReady, podsOf, type Harness } from './harness.js';
import { kubectlMissing, startWebCluster, type Kubectl } from './kubectl.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface Container {
  name: string;
  image: string;
  env?: Array<{ name: string; value: string }>;
}
const containersOf = (o: KubeObject | undefined): Container[] =>
  (o?.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers;
const live = (pods: KubeObject[]): KubeObject[] =>
  pods.filter((p) => p.metadata.deletionTimestamp === undefined);

describe('kubectl 1.32 changes the simulated cluster', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;

  before(async () => {
    ({ h, k } = await startWebCluster(2));
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('rollout restart stamps the template, a new ReplicaSet replaces every pod, rollout status agrees', async () => {
    const before = podsOf(h, 'web').map((p) => p.metadata.uid);
    const oldSets = h.sim.list('apps/v1', 'ReplicaSet', 'default').map((rs) => rs.metadata.name);
    const out = await k.run('rollout', 'restart', 'deployment', 'web');
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), 'deployment.apps/web restarted');
    const web = h.sim.get('apps/v1', 'Deployment', 'default', 'web');
    const annotations = (web?.spec as { template: { metadata: { annotations?: Record<string, string> } } })
      .template.metadata.annotations;
    assert.match(annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    assert.equal(web?.metadata.generation, 2);

    const status = await k.run('rollout', 'status', 'deployment/web', '--timeout=30s');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deployment "web" successfully rolled out\n$/);

    await h.until('old pods gone, two new Ready', () => {
      const pods = podsOf(h, 'web');
      return pods.length === 2 && pods.every((p) => isReady(p) && !before.includes(p.metadata.uid));
    });
    const sets = h.sim.list('apps/v1', 'ReplicaSet', 'default');
    const fresh = sets.filter((rs) => !oldSets.includes(rs.metadata.name));
    assert.equal(fresh.length, 1);
    assert.equal((fresh[0]?.spec as { replicas: number }).replicas, 2);
    for (const rs of sets.filter((s) => oldSets.includes(s.metadata.name)))
      assert.equal((rs.spec as { replicas: number }).replicas, 0);
    const hash = fresh[0]?.metadata.labels?.['pod-template-hash'];
    for (const pod of podsOf(h, 'web')) assert.equal(pod.metadata.labels?.['pod-template-hash'], hash);
  });

  it('apply -f creates, the same manifest is unchanged, a changed one is patched (strategic merge)', async () => {
    const manifest = (replicas: number, image: string, env: string): string =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: app, namespace: default, labels: {app: app}}',
        'spec:',
        `  replicas: ${replicas}`,
        '  selector: {matchLabels: {app: app}}',
        '  template:',
        '    metadata: {labels: {app: app}}',
        '    spec:',
        '      containers:',
        '      - name: app',
        `        image: "${image}"`,
        `        env: [${env}]`,
        '',
      ].join('\n');
    const path = k.file('app.yaml', manifest(1, 'app:1.0', '{name: A, value: "1"}, {name: B, value: "2"}'));
    const created = await k.run('apply', '-f', path);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'deployment.apps/app created');
    const first = h.sim.get('apps/v1', 'Deployment', 'default', 'app');
    const applied = JSON.parse(first?.metadata.annotations?.[LAST_APPLIED] ?? '{}') as {
      spec?: { replicas?: number };
    };
    assert.equal(applied.spec?.replicas, 1);
    await h.until('app Ready', () => podsOf(h, 'app').filter(isReady).length === 1);

    // Nothing to change: kubectl computes an empty patch and sends nothing.
    const unchanged = await k.run('apply', '-f', path);
    assert.equal(unchanged.code, 0, unchanged.stderr);
    assert.equal(unchanged.stdout.trim(), 'deployment.apps/app unchanged');
    const same = h.sim.get('apps/v1', 'Deployment', 'default', 'app');
    assert.equal(same?.metadata.generation, 1);
    assert.equal(same?.metadata.annotations?.[LAST_APPLIED], first?.metadata.annotations?.[LAST_APPLIED]);

    // A user edit outside the manifest (a sidecar) must survive the merge: apply only removes what it set.
    const patch = await h.request(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/app',
      { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'sidecar:1' }] } } } },
      { 'Content-Type': 'application/strategic-merge-patch+json' },
    );
    assert.equal(patch.status, 200, patch.text);

    // B goes, C comes first: a `$patch: delete` and a `$setElementOrder/env` in the patch.
    k.file('app.yaml', manifest(2, 'app:2.0', '{name: C, value: "3"}, {name: A, value: "1"}'));
    const configured = await k.run('apply', '-f', path);
    assert.equal(configured.code, 0, configured.stderr);
    assert.equal(configured.stdout.trim(), 'deployment.apps/app configured');
    const second = h.sim.get('apps/v1', 'Deployment', 'default', 'app');
    assert.equal((second?.spec as { replicas: number }).replicas, 2);
    assert.deepEqual(
      containersOf(second).map((c) => [c.name, c.image, c.env]),
      [
        [
          'app',
          'app:2.0',
          [
            { name: 'C', value: '3' },
            { name: 'A', value: '1' },
          ],
        ],
        ['sidecar', 'sidecar:1', undefined],
      ],
    );
    const reapplied = JSON.parse(second?.metadata.annotations?.[LAST_APPLIED] ?? '{}') as {
      spec?: { replicas?: number };
    };
    assert.equal(reapplied.spec?.replicas, 2);
    await h.until('two app pods of the new template Ready', () => {
      const pods = live(podsOf(h, 'app'));
      return (
        pods.length === 2 &&
        pods.every(
          (p) => isReady(p) && (p.spec as { containers: Container[] }).containers[0]?.image === 'app:2.0',
        )
      );
    });
  });

  it('wait --for=delete returns once the object is really gone', async () => {
    const pod = live(podsOf(h, 'web'))[0];
    assert.ok(pod);
    const name = pod.metadata.name;
    const hold = await h.request(
      'PATCH',
      `/api/v1/namespaces/default/pods/${name}`,
      { metadata: { finalizers: ['example.com/hold'] } },
      { 'Content-Type': 'application/merge-patch+json' },
    );
    assert.equal(hold.status, 200, hold.text);
    const deleted = await k.run('delete', 'pod', name, '--wait=false');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout.trim(), `pod "${name}" deleted`);
    assert.ok(h.sim.get('v1', 'Pod', 'default', name)?.metadata.deletionTimestamp, 'held by its finalizer');

    // -v=6 logs each request: the watch answered is the signal that kubectl is waiting.
    const wait = k.start('wait', '--for=delete', `pod/${name}`, '--timeout=30s', '-v=6');
    await wait.output(/watch=true\S* 200 OK/);
    assert.ok(h.sim.get('v1', 'Pod', 'default', name));
    const release = await h.request(
      'PATCH',
      `/api/v1/namespaces/default/pods/${name}`,
      [{ op: 'remove', path: '/metadata/finalizers' }],
      { 'Content-Type': 'application/json-patch+json' },
    );
    assert.equal(release.status, 200, release.text);
    const result = await wait.done;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), `pod/${name} condition met`);
    assert.equal(h.sim.get('v1', 'Pod', 'default', name), undefined);
  });
});
