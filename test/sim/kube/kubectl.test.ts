// The real kubectl 1.32 against the simulator: the proof it speaks Kubernetes, not our idea of it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isReady, podsOf, type Harness } from './harness.js';
import { kubectlMissing, startWebCluster, type Kubectl } from './kubectl.js';

if (kubectlMissing) console.log(`# skipping kubectl tests: ${kubectlMissing}`);

describe('kubectl 1.32 against the simulator', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;
  const kubectl = (...args: string[]) => k.run(...args);

  before(async () => {
    ({ h, k } = await startWebCluster(2));
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('get pods -A prints the table with namespace, ready and status columns', async () => {
    const out = await kubectl('get', 'pods', '-A');
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    const web = lines.filter((l) => /^default\s+web-/.test(l));
    assert.equal(web.length, 2);
    for (const line of web) assert.match(line, /1\/1\s+Running\s+0/);
  });

  it('get nodes and deployments work with short names', async () => {
    const nodes = await kubectl('get', 'no');
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout, /lke1-node-a\s+Ready/);
    const deploy = await kubectl('get', 'deploy');
    assert.equal(deploy.code, 0, deploy.stderr);
    assert.match(deploy.stdout, /web\s+2\/2\s+2\s+2/);
  });

  it('scale deployment --replicas=0 goes through the scale subresource and the pods go', async () => {
    const out = await kubectl('scale', 'deployment', 'web', '--replicas=0');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /deployment.apps\/web scaled/);
    await h.until('web pods gone', () => podsOf(h, 'web').length === 0);
    const back = await kubectl('scale', 'deployment', 'web', '--replicas=1');
    assert.equal(back.code, 0, back.stderr);
    await h.until('web back', () => podsOf(h, 'web').filter(isReady).length === 1);
  });

  it('delete pod --force --grace-period=0 removes it at once', async () => {
    const pod = podsOf(h, 'web')[0];
    assert.ok(pod);
    const out = await kubectl('delete', 'pod', pod.metadata.name, '--force', '--grace-period=0');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`pod "${pod.metadata.name}" force deleted`));
    assert.equal(h.sim.get('v1', 'Pod', 'default', pod.metadata.name), undefined);
  });

  it('apply --server-side creates then updates, and get all lists the workload', async () => {
    const manifest = k.file('api.yaml', '');
    const doc = (replicas: number): string =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: api, namespace: default}',
        'spec:',
        `  replicas: ${replicas}`,
        '  selector: {matchLabels: {app: api}}',
        '  template:',
        '    metadata: {labels: {app: api}}',
        '    spec: {containers: [{name: api, image: "api:1.0"}]}',
        '',
      ].join('\n');
    k.file('api.yaml', doc(1));
    const created = await kubectl('apply', '--server-side', '-f', manifest);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /deployment.apps\/api serverside-applied/);
    k.file('api.yaml', doc(2));
    const updated = await kubectl('apply', '--server-side', '-f', manifest);
    assert.equal(updated.code, 0, updated.stderr);
    await h.until('api at 2 Ready', () => podsOf(h, 'api').filter(isReady).length === 2);
    const all = await kubectl('get', 'all');
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /deployment.apps\/api\s+2\/2/);
    assert.match(all.stdout, /replicaset.apps\/api-/);
    assert.match(all.stdout, /service\/kubernetes/);
  });

  it('wait --for=condition=Ready and drain work', async () => {
    const pod = await h.until('a Ready web pod', () => podsOf(h, 'web').find(isReady));
    const wait = await kubectl('wait', '--for=condition=Ready', `pod/${pod.metadata.name}`, '--timeout=20s');
    assert.equal(wait.code, 0, wait.stderr);
    assert.match(wait.stdout, /condition met/);
    const drain = await kubectl(
      'drain',
      'lke1-node-a',
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=30s',
    );
    assert.equal(drain.code, 0, drain.stderr + drain.stdout);
    assert.match(drain.stdout, /node\/lke1-node-a (cordoned|drained)/);
    const node = h.sim.get('v1', 'Node', undefined, 'lke1-node-a');
    assert.equal((node?.spec as { unschedulable?: boolean }).unschedulable, true);
    const uncordon = await kubectl('uncordon', 'lke1-node-a');
    assert.equal(uncordon.code, 0, uncordon.stderr);
    assert.equal(
      'unschedulable' in (h.sim.get('v1', 'Node', undefined, 'lke1-node-a')?.spec as object),
      false,
    );
  });
});
