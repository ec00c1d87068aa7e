// kubectl 1.32's read commands against the simulator: get -o wide / -o json, describe pod and node
// (several GETs and event lists by involvedObject field selectors), events and get events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/world.js';
import { addNode, deployment, isReady, podsOf, startHarness, type Harness } from './harness.js';
import { createKubectl, kubectlMissing, type Kubectl } from './kubectl.js';

const podIp = (pod: KubeObject): string => (pod.status as { podIP: string }).podIP;
const nodeOf = (pod: KubeObject): string => (pod.spec as { nodeName: string }).nodeName;
const columns = (line: string): string[] => line.trim().split(/\s{2,}/);

describe('kubectl 1.32 reads the simulated cluster', { skip: kubectlMissing }, () => {
  let h: Harness;
  let k: Kubectl;
  let internalIp: string;

  before(async () => {
    h = await startHarness();
    k = createKubectl(h.url);
    const { linodeId } = addNode(h, 'lke1-node-a', '172.105.1.1');
    internalIp = `192.168.128.${linodeId % 250}`;
    h.sim.create(deployment('web', 2));
    await h.until('web Ready', () => podsOf(h, 'web').filter(isReady).length === 2);
  });
  after(async () => {
    k.close();
    await h.close();
  });

  it('get pods -o wide shows each pod IP and node, -A adds the namespace', async () => {
    const out = await k.run('get', 'pods', '-o', 'wide');
    assert.equal(out.code, 0, out.stderr);
    const [header, ...rows] = out.stdout.trim().split('\n');
    assert.deepEqual(columns(header ?? ''), [
      'NAME',
      'READY',
      'STATUS',
      'RESTARTS',
      'AGE',
      'IP',
      'NODE',
      'NOMINATED NODE',
      'READINESS GATES',
    ]);
    const pods = podsOf(h, 'web');
    assert.equal(rows.length, pods.length);
    for (const pod of pods) {
      const row = rows.map(columns).find((c) => c[0] === pod.metadata.name);
      assert.ok(row, `no row for ${pod.metadata.name}`);
      assert.deepEqual([row[1], row[2], row[3]], ['1/1', 'Running', '0']);
      assert.deepEqual(row.slice(5), [podIp(pod), nodeOf(pod), '<none>', '<none>']);
    }
    const all = await k.run('get', 'pods', '-A', '-o', 'wide');
    assert.match(all.stdout, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    assert.equal(
      all.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('default ')).length,
      2,
    );
  });

  it('get nodes -o wide shows the addresses, OS, kernel and runtime', async () => {
    const out = await k.run('get', 'nodes', '-o', 'wide');
    assert.equal(out.code, 0, out.stderr);
    const [header, row] = out.stdout.trim().split('\n').map(columns);
    assert.deepEqual(header, [
      'NAME',
      'STATUS',
      'ROLES',
      'AGE',
      'VERSION',
      'INTERNAL-IP',
      'EXTERNAL-IP',
      'OS-IMAGE',
      'KERNEL-VERSION',
      'CONTAINER-RUNTIME',
    ]);
    assert.ok(row);
    assert.deepEqual(
      [row[0], row[1], row[2], row[4], row[5], row[6]],
      ['lke1-node-a', 'Ready', '<none>', 'v1.32.5', internalIp, '172.105.1.1'],
    );
    assert.match(row[9] ?? '', /^containerd:\/\//);
  });

  it('get pods -o json returns the objects themselves', async () => {
    const out = await k.run('get', 'pods', '-o', 'json');
    assert.equal(out.code, 0, out.stderr);
    const list = JSON.parse(out.stdout) as { kind: string; items: KubeObject[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(
      list.items.map((p) => p.metadata.uid).sort(),
      podsOf(h, 'web')
        .map((p) => p.metadata.uid)
        .sort(),
    );
    for (const item of list.items) {
      assert.equal(item.kind, 'Pod');
      assert.equal(item.metadata.labels?.app, 'web');
    }
  });

  it('describe pod shows node, IP, owner, container state, conditions and its events; it changes nothing', async () => {
    const pod = podsOf(h, 'web')[0];
    assert.ok(pod);
    const rv = h.sim.resourceVersion();
    const out = await k.run('describe', 'pod', pod.metadata.name);
    assert.equal(out.code, 0, out.stderr);
    const owner = pod.metadata.ownerReferences?.[0]?.name ?? '';
    for (const line of [
      new RegExp(`^Name:\\s+${pod.metadata.name}$`, 'm'),
      /^Namespace:\s+default$/m,
      new RegExp(`^Node:\\s+lke1-node-a/${internalIp.replace(/\./g, '\\.')}$`, 'm'),
      /^Status:\s+Running$/m,
      new RegExp(`^IP:\\s+${podIp(pod).replace(/\./g, '\\.')}$`, 'm'),
      new RegExp(`^Controlled By:\\s+ReplicaSet/${owner}$`, 'm'),
      /^ {4}Image:\s+web:1\.0$/m,
      /^ {4}State:\s+Running$/m,
      /^ {4}Ready:\s+True$/m,
      /^ {2}Ready\s+True\s*$/m,
      /^QoS Class:\s+BestEffort$/m,
    ])
      assert.match(out.stdout, line);
    const events = out.stdout.slice(out.stdout.indexOf('\nEvents:'));
    assert.match(events, /Type\s+Reason\s+Age\s+From\s+Message/);
    assert.match(
      events,
      new RegExp(
        `Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned default/${pod.metadata.name} to lke1-node-a`,
      ),
    );
    assert.match(events, /Normal\s+Started\s+\S+\s+kubelet\s+Started container web/);
    // Only this pod's events: the other pod's name appears nowhere.
    const other = podsOf(h, 'web').find((p) => p.metadata.name !== pod.metadata.name);
    assert.ok(other);
    assert.doesNotMatch(out.stdout, new RegExp(other.metadata.name));
    assert.equal(h.sim.resourceVersion(), rv);
  });

  it('describe node shows addresses, capacity, its lease and pods; a cordon shows up in it', async () => {
    const out = await k.run('describe', 'node', 'lke1-node-a');
    assert.equal(out.code, 0, out.stderr);
    for (const line of [
      /^Name:\s+lke1-node-a$/m,
      /^Unschedulable:\s+false$/m,
      /^Lease:\n {2}HolderIdentity:\s+lke1-node-a\n {2}AcquireTime:\s+<unset>\n {2}RenewTime:\s+\w{3}, /m,
      /^ {2}Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status$/m,
      new RegExp(`^ {2}InternalIP:\\s+${internalIp.replace(/\./g, '\\.')}$`, 'm'),
      /^ {2}ExternalIP:\s+172\.105\.1\.1$/m,
      /^ {2}pods:\s+110$/m,
      /^ {2}Kubelet Version:\s+v1\.32\.5$/m,
      /^ProviderID:\s+linode:\/\/\d+$/m,
      /^Non-terminated Pods:\s+\(2 in total\)$/m,
    ])
      assert.match(out.stdout, line);
    assert.doesNotMatch(out.stdout, /Failed to get lease/);
    for (const pod of podsOf(h, 'web'))
      assert.match(out.stdout, new RegExp(`default\\s+${pod.metadata.name}\\s`));

    const cordon = await k.run('cordon', 'lke1-node-a');
    assert.equal(cordon.code, 0, cordon.stderr);
    await h.until('the kubelet reports the cordon', () =>
      h.sim
        .list('v1', 'Event', 'default')
        .some(
          (e) =>
            e.reason === 'NodeNotSchedulable' &&
            (e.involvedObject as { name: string }).name === 'lke1-node-a',
        ),
    );
    const cordoned = await k.run('describe', 'node', 'lke1-node-a');
    assert.match(cordoned.stdout, /^Unschedulable:\s+true$/m);
    assert.match(
      cordoned.stdout,
      /Normal\s+NodeNotSchedulable\s+\S+\s+kubelet\s+Node lke1-node-a status is now: NodeNotSchedulable/,
    );
    const uncordon = await k.run('uncordon', 'lke1-node-a');
    assert.equal(uncordon.code, 0, uncordon.stderr);
    await h.until('the kubelet reports the uncordon', () =>
      h.sim.list('v1', 'Event', 'default').some((e) => e.reason === 'NodeSchedulable'),
    );
    const node = h.sim.get('v1', 'Node', undefined, 'lke1-node-a');
    assert.equal((node?.spec as { unschedulable?: boolean }).unschedulable, undefined);
  });

  it('events lists the events of the namespace, --for narrows them to one object', async () => {
    const pod = podsOf(h, 'web')[0];
    assert.ok(pod);
    const out = await k.run('events');
    assert.equal(out.code, 0, out.stderr);
    const [header, ...rows] = out.stdout.trim().split('\n');
    assert.deepEqual(columns(header ?? ''), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.equal(rows.length, h.sim.list('v1', 'Event', 'default').length);
    assert.ok(
      rows.some((r) => /Normal\s+ScalingReplicaSet\s+Deployment\/web\s+Scaled up replica set web-/.test(r)),
    );
    const one = await k.run('events', '--for', `pod/${pod.metadata.name}`);
    assert.equal(one.code, 0, one.stderr);
    const mine = one.stdout.trim().split('\n').slice(1).map(columns);
    const reasons = new Set(mine.map((r) => r[2]));
    assert.ok(reasons.has('Scheduled') && reasons.has('Started'), [...reasons].join());
    for (const row of mine) assert.equal(row[3], `Pod/${pod.metadata.name}`);
  });

  it('get events prints the server table, narrowed by a field selector and wide with source and count', async () => {
    const pod = podsOf(h, 'web')[0];
    assert.ok(pod);
    const out = await k.run(
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${pod.metadata.name},reason=Scheduled`,
    );
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.deepEqual(columns(lines[0] ?? ''), ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.equal(lines.length, 2);
    assert.deepEqual(columns(lines[1] ?? '').slice(1), [
      'Normal',
      'Scheduled',
      `pod/${pod.metadata.name}`,
      `Successfully assigned default/${pod.metadata.name} to lke1-node-a`,
    ]);
    const wide = await k.run(
      'get',
      'events',
      '-o',
      'wide',
      '--field-selector',
      `involvedObject.name=${pod.metadata.name},reason=Started`,
    );
    assert.equal(wide.code, 0, wide.stderr);
    const [wideHeader, started] = wide.stdout.trim().split('\n').map(columns);
    assert.deepEqual(wideHeader, [
      'LAST SEEN',
      'TYPE',
      'REASON',
      'OBJECT',
      'SUBOBJECT',
      'SOURCE',
      'MESSAGE',
      'FIRST SEEN',
      'COUNT',
      'NAME',
    ]);
    const event = h.sim
      .list('v1', 'Event', 'default')
      .find(
        (e) => e.reason === 'Started' && (e.involvedObject as { name: string }).name === pod.metadata.name,
      );
    assert.ok(event && started);
    // SUBOBJECT is empty, so the columns shift by one.
    assert.deepEqual(started.slice(1, 4), ['Normal', 'Started', `pod/${pod.metadata.name}`]);
    assert.deepEqual(
      [started[4], started[5], started[7], started[8]],
      ['kubelet, lke1-node-a', 'Started container web', '1', event.metadata.name],
    );
    const bad = await k.run('get', 'events', '--field-selector', 'involvedObject.colour=red');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /field label not supported: involvedObject\.colour/);
  });
});
