// kubectl 1.32's client-side ages (describe's events, a node's pods and a pod's termination,
// `kubectl events`) read on the simulated clock, as a trainee expects, while absolute times and
// every other command keep the simulated times.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, deployment, isReady, podsOf, startHarness, type Harness } from './harness.js';
import { createKubectl, kubectlMissing, type Kubectl } from './kubectl.js';

describe('kubectl 1.32 ages on the simulated clock', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;
  let pod: string;

  before(async () => {
    h = await startHarness();
    k = createKubectl(h.url);
    addNode(h, 'lke1-node-a', '172.105.1.1');
    h.sim.create(deployment('web', 1));
    await h.until('web Ready', () => podsOf(h, 'web').filter(isReady).length === 1);
    pod = podsOf(h, 'web')[0]?.metadata.name ?? '';
    // Ten simulated minutes pass after the pod started.
    h.clock.after(10 * 60_000, () => undefined);
    h.clock.settle(10 * 60_000);
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('describe pod shows its events 10m old, and its start time on the simulated date', async () => {
    const out = await k.run('describe', 'pod', pod);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Start Time:\s+Fri, 11 Dec 2020 13:24:0\d \+0000/);
    const events = out.stdout.slice(out.stdout.indexOf('\nEvents:'));
    assert.match(events, /Normal\s+Scheduled\s+10m\s+default-scheduler\s+Successfully assigned/);
    assert.match(events, /Normal\s+Started\s+10m\s+kubelet\s+Started container web/);
    assert.doesNotMatch(events, /\d+y\d+d/);
  });

  it('describe node lists its pods 10m old', async () => {
    const out = await k.run('describe', 'node', 'lke1-node-a');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`\\n\\s+default\\s+${pod}\\s+.*\\s10m\\n`));
    assert.match(out.stdout, /CreationTimestamp:\s+Fri, 11 Dec 2020 13:24:00 \+0000/);
  });

  it('describe deployment and kubectl events read the same ages', async () => {
    const described = await k.run('describe', 'deployment', 'web');
    assert.match(
      described.stdout,
      /Normal\s+ScalingReplicaSet\s+10m\s+deployment-controller\s+Scaled up replica set/,
    );
    const events = await k.run('events');
    assert.equal(events.code, 0, events.stderr);
    const rows = events.stdout.trim().split('\n').slice(1);
    assert.ok(rows.length >= 4);
    for (const row of rows) assert.match(row, /^10m\s/);
  });

  it('the events themselves keep their simulated times for every other reader', async () => {
    const out = await k.run('get', 'events', '-o', 'json');
    const list = JSON.parse(out.stdout) as { items: Array<{ lastTimestamp: string }> };
    for (const event of list.items) assert.match(event.lastTimestamp, /^2020-12-11T13:24:0\dZ$/);
    const table = await k.run('get', 'events');
    assert.match(table.stdout, /\n10m\s+Normal\s+Scheduled\s+pod\//);
    const stored = h.sim.list('v1', 'Event', 'default');
    for (const event of stored) assert.match(String(event.lastTimestamp), /^2020-12-11T13:24:0\dZ$/);
  });

  it('describe shows how long a stuck pod has been terminating, on the simulated clock', async () => {
    h.faults.add({ kind: 'pod-stuck-terminating', namespace: 'default', labelSelector: 'app=web' });
    await h.core.deleteNamespacedPod({ name: pod, namespace: 'default' });
    h.clock.after(5 * 60_000, () => undefined);
    h.clock.settle(5 * 60_000);
    const out = await k.run('describe', 'pod', pod);
    assert.equal(out.code, 0, out.stderr);
    // The deletion timestamp is the end of the 30 s grace period, as on a real cluster.
    assert.match(out.stdout, /\nStatus:\s+Terminating \(lasts 4m30s\)\n/);
    assert.match(out.stdout, /Warning\s+FailedKillPod\s+4m30s\s+kubelet/);
    // Its dates stay on the simulated calendar: only ages moved.
    assert.match(out.stdout, /Start Time:\s+Fri, 11 Dec 2020 /);
    assert.doesNotMatch(out.stdout, /\b202[1-9]\b/);
  });
});
