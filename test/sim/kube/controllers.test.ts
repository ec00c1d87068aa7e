// The StatefulSet, DaemonSet and disruption controllers, and the kubelet's refusals (missing
// Secret, missing device), through the real client-node against the loopback simulator.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { KubeObject } from '../../../src/sim/world.js';
import { addNode, deployment, eventsFor, isReady, podsOf, startHarness, type Harness } from './harness.js';

function statefulSet(name: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [{ name, image: `${name}:1`, volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
        },
      ],
    },
  };
}

describe('sim controllers', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('a StatefulSet creates ordinal pods in order with a claim each, and scales down from the top', async () => {
    h = await startHarness();
    addNode(h, 'node-a', '172.105.1.1');
    addNode(h, 'node-b', '172.105.1.2');
    h.sim.create(statefulSet('db', 3));
    await h.until('3 db pods Ready', () => podsOf(h, 'db').filter(isReady).length === 3);
    assert.deepEqual(
      podsOf(h, 'db')
        .map((p) => p.metadata.name)
        .sort(),
      ['db-0', 'db-1', 'db-2'],
    );
    const created = podsOf(h, 'db').map((p) => Date.parse(p.metadata.creationTimestamp ?? ''));
    assert.ok(created[0]! < created[1]! && created[1]! < created[2]!, 'created one after another');
    for (const i of [0, 1, 2]) assert.ok(h.sim.get('v1', 'PersistentVolumeClaim', 'default', `data-db-${i}`));
    const sts = await h.apps.readNamespacedStatefulSet({ namespace: 'default', name: 'db' });
    assert.equal(sts.status?.readyReplicas, 3);
    await h.apps.patchNamespacedStatefulSetScale({
      namespace: 'default',
      name: 'db',
      body: [{ op: 'replace', path: '/spec/replicas', value: 1 }],
    });
    await h.until('db scaled to 1', () => podsOf(h, 'db').length === 1);
    assert.equal(podsOf(h, 'db')[0]?.metadata.name, 'db-0');
    assert.ok(
      h.sim.get('v1', 'PersistentVolumeClaim', 'default', 'data-db-2'),
      'claims are kept on scale-down',
    );
  });

  it('a DaemonSet runs one pod per node, follows new nodes, and keeps its pod on a cordoned node', async () => {
    h = await startHarness();
    addNode(h, 'node-a', '172.105.1.1');
    addNode(h, 'node-b', '172.105.1.2');
    h.sim.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'agent', image: 'agent:1' }] },
        },
      },
    });
    await h.until('2 agents Ready', () => podsOf(h, 'agent').filter(isReady).length === 2);
    await h.core.patchNode({
      name: 'node-a',
      body: [{ op: 'add', path: '/spec/unschedulable', value: true }],
    });
    addNode(h, 'node-c', '172.105.1.3');
    await h.until('3 agents Ready', () => podsOf(h, 'agent').filter(isReady).length === 3);
    const nodes = podsOf(h, 'agent')
      .map((p) => (p.spec as { nodeName?: string }).nodeName)
      .sort();
    assert.deepEqual(nodes, ['node-a', 'node-b', 'node-c']);
    const ds = await h.apps.readNamespacedDaemonSet({ namespace: 'default', name: 'agent' });
    assert.equal(ds.status?.desiredNumberScheduled, 3);
    assert.equal(ds.status?.numberReady, 3);
    const tolerations = (
      podsOf(h, 'agent')[0]?.spec as { tolerations?: Array<{ key?: string; tolerationSeconds?: number }> }
    ).tolerations;
    const unreachable = tolerations?.find((t) => t.key === 'node.kubernetes.io/unreachable');
    assert.ok(unreachable !== undefined && unreachable.tolerationSeconds === undefined);
  });

  it('a pod whose Secret is missing does not start (CreateContainerConfigError) until the Secret exists', async () => {
    h = await startHarness();
    addNode(h, 'node-a', '172.105.1.1');
    const d = deployment('api', 1);
    const spec = (d.spec as { template: { spec: { containers: Array<Record<string, unknown>> } } }).template
      .spec;
    spec.containers[0]!.env = [
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
    ];
    h.sim.create(d);
    const pod = await h.until('config error', () =>
      podsOf(h, 'api').find(
        (p) =>
          (p.status as { containerStatuses?: Array<{ state?: { waiting?: { reason?: string } } }> })
            .containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError',
      ),
    );
    assert.ok(
      eventsFor(h, pod.metadata.name).some((e) => e.message === 'Error: secret "api-token" not found'),
    );
    await h.core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'api-token' }, stringData: { token: 'x' } },
    });
    await h.until('api Ready', () => podsOf(h, 'api').filter(isReady).length === 1);
  });

  it('volume-device-missing leaves the pod in ContainerCreating with the device-path FailedMount', async () => {
    h = await startHarness({
      faults: [{ kind: 'volume-device-missing', namespace: 'default', pvc: 'data' }],
    });
    addNode(h, 'node-a', '172.105.1.1');
    h.sim.create({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    });
    h.sim.create(deployment('pg', 1, { claim: 'data' }));
    const pod = await h.until('FailedMount', () =>
      podsOf(h, 'pg').find((p) =>
        eventsFor(h, p.metadata.name).some((e) =>
          /Unable to find device path out of attempted paths/.test(String(e.message)),
        ),
      ),
    );
    assert.equal((pod.status as { phase?: string }).phase, 'Pending');
    h.faults.clear();
    await h.until('pg Ready once the device appears', () => podsOf(h, 'pg').filter(isReady).length === 1);
  });

  it('a PDB reports its budget, and pdb-never-allows refuses every eviction with 429 naming it', async () => {
    h = await startHarness();
    addNode(h, 'node-a', '172.105.1.1');
    h.sim.create(deployment('web', 3));
    h.sim.create({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'default' },
      spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } },
    });
    await h.until('web Ready', () => podsOf(h, 'web').filter(isReady).length === 3);
    await h.until('pdb status', () => {
      const pdb = h.sim.get('policy/v1', 'PodDisruptionBudget', 'default', 'web');
      return (pdb?.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed === 2;
    });
    h.faults.add({ kind: 'pdb-never-allows', namespace: 'default', name: 'web' });
    const victim = podsOf(h, 'web')[0]?.metadata.name ?? '';
    const res = await h.request('POST', `/api/v1/namespaces/default/pods/${victim}/eviction`, {
      apiVersion: 'policy/v1',
      kind: 'Eviction',
      metadata: { name: victim, namespace: 'default' },
    });
    assert.equal(res.status, 429);
    assert.match(res.text, /The disruption budget web needs 1 healthy pods and has 3 currently/);
    await h.until('pdb shows 0 allowed', () => {
      const pdb = h.sim.get('policy/v1', 'PodDisruptionBudget', 'default', 'web');
      return (pdb?.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed === 0;
    });
  });
});
