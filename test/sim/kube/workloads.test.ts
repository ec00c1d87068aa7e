// Deployments, ReplicaSets, the scheduler and the kubelet as a user sees them through the real
// client: scale 1→0→1 through Terminating, force delete, stuck termination, cascading deletion.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { addNode, deployment, eventsFor, isReady, podsOf, startHarness, type Harness } from './harness.js';

describe('kube sim workloads', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    addNode(h, 'lke1-node-a', '172.105.1.1');
    addNode(h, 'lke1-node-b', '172.105.1.2');
    await h.until('nodes Ready', () =>
      h.sim
        .list('v1', 'Node')
        .every((n) =>
          ((n.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
        ),
    );
  });
  after(async () => {
    await h.close();
  });

  it('marks seeded nodes Ready with kubelet conditions and nodeInfo', async () => {
    const node = await h.core.readNode({ name: 'lke1-node-a' });
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True');
    assert.equal(ready?.reason, 'KubeletReady');
    assert.equal(ready?.message, 'kubelet is posting ready status');
    assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.5');
  });

  it('runs a Deployment to Ready, scales 1→0 through Terminating to gone, and back to Ready', async () => {
    h.sim.create(deployment('web', 1));
    const pod = await h.until('web pod Ready', () => podsOf(h, 'web').find(isReady));
    assert.match(pod.metadata.name, /^web-[a-z0-9]{10}-[a-z0-9]{5}$/);
    const rs = h.sim.list('apps/v1', 'ReplicaSet', 'default').find((r) => r.metadata.name.startsWith('web-'));
    assert.equal(rs?.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '1');
    assert.equal(pod.metadata.labels?.['pod-template-hash'], rs?.metadata.labels?.['pod-template-hash']);
    assert.equal(pod.metadata.ownerReferences?.[0]?.uid, rs?.metadata.uid);
    const scheduled = eventsFor(h, pod.metadata.name).find((e) => e.reason === 'Scheduled');
    assert.equal(
      scheduled?.message,
      `Successfully assigned default/${pod.metadata.name} to ${(pod.spec as { nodeName: string }).nodeName}`,
    );
    const status = await h.until('web available', () => {
      const d = h.sim.get('apps/v1', 'Deployment', 'default', 'web');
      const s = d?.status as { availableReplicas?: number; observedGeneration?: number } | undefined;
      return s?.availableReplicas === 1 ? s : undefined;
    });
    assert.equal(status.observedGeneration, 1);

    // Scale to 0 through the scale subresource, as kubectl does.
    const scale = await h.apps.patchNamespacedDeploymentScale(
      { name: 'web', namespace: 'default', body: { spec: { replicas: 0 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.spec?.replicas, 0);
    const terminating = await h.until('pod Terminating', () => {
      const p = h.sim.get('v1', 'Pod', 'default', pod.metadata.name);
      return p?.metadata.deletionTimestamp !== undefined ? p : undefined;
    });
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    await h.until('pod gone', () => h.sim.get('v1', 'Pod', 'default', pod.metadata.name) === undefined);
    const zero = await h.until('deployment settled at 0', () => {
      const d = h.sim.get('apps/v1', 'Deployment', 'default', 'web');
      const s = d?.status as Record<string, unknown> | undefined;
      return s?.observedGeneration === d?.metadata.generation && s?.replicas === undefined ? d : undefined;
    });
    assert.equal(zero.metadata.generation, 2);
    assert.equal((zero.status as Record<string, unknown>).availableReplicas, undefined);
    assert.equal((zero.status as Record<string, unknown>).readyReplicas, undefined);

    await h.apps.patchNamespacedDeploymentScale(
      { name: 'web', namespace: 'default', body: { spec: { replicas: 1 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const again = await h.until('new web pod Ready', () => podsOf(h, 'web').find(isReady));
    assert.notEqual(again.metadata.name, pod.metadata.name);
    const d = await h.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    assert.equal(d.metadata?.generation, 3);
  });

  it('spreads pods over the least-loaded nodes and never schedules on a cordoned node', async () => {
    await h.core.patchNode(
      { name: 'lke1-node-b', body: { spec: { unschedulable: true } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    h.sim.create(deployment('spread', 3));
    const pods = await h.until('3 spread pods Ready', () => {
      const p = podsOf(h, 'spread').filter(isReady);
      return p.length === 3 ? p : undefined;
    });
    assert.ok(pods.every((p) => (p.spec as { nodeName: string }).nodeName === 'lke1-node-a'));
    await h.core.patchNode(
      { name: 'lke1-node-b', body: { spec: { unschedulable: null } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    await h.apps.patchNamespacedDeploymentScale(
      { name: 'spread', namespace: 'default', body: { spec: { replicas: 5 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const five = await h.until('5 spread pods Ready', () => {
      const p = podsOf(h, 'spread').filter(isReady);
      return p.length === 5 ? p : undefined;
    });
    assert.equal(five.filter((p) => (p.spec as { nodeName: string }).nodeName === 'lke1-node-b').length, 2);
  });

  it('force delete (grace 0) removes a pod at once and the ReplicaSet replaces it', async () => {
    const victim = podsOf(h, 'web').find(isReady);
    assert.ok(victim);
    const response = await h.request('DELETE', `/api/v1/namespaces/default/pods/${victim.metadata.name}`, {
      gracePeriodSeconds: 0,
      propagationPolicy: 'Background',
    });
    assert.equal(response.status, 200);
    assert.equal((response.json as { kind: string }).kind, 'Pod');
    assert.equal(h.sim.get('v1', 'Pod', 'default', victim.metadata.name), undefined);
    await h.until('replacement Ready', () =>
      podsOf(h, 'web').find((p) => isReady(p) && p.metadata.name !== victim.metadata.name),
    );
  });

  it('pod-stuck-terminating: the pod stays Terminating and the kubelet reports FailedKillPod', async () => {
    h.faults.add({ kind: 'pod-stuck-terminating', namespace: 'default', labelSelector: 'app=web' });
    const pod = podsOf(h, 'web').find(isReady);
    assert.ok(pod);
    await h.core.deleteNamespacedPod({ name: pod.metadata.name, namespace: 'default' });
    const event = await h.until('FailedKillPod', () =>
      eventsFor(h, pod.metadata.name).find((e) => e.reason === 'FailedKillPod'),
    );
    assert.equal(event.type, 'Warning');
    assert.equal(
      event.message,
      `error killing pod: failed to "KillPodSandbox" for "${pod.metadata.uid ?? ''}" with KillPodSandboxError: "rpc error: code = DeadlineExceeded desc = context deadline exceeded"`,
    );
    assert.ok(
      h.clock.nowMs() >=
        Date.parse(h.sim.get('v1', 'Pod', 'default', pod.metadata.name)?.metadata.deletionTimestamp ?? ''),
    );
    assert.ok(h.sim.get('v1', 'Pod', 'default', pod.metadata.name), 'still there after the grace period');
    // The runbook's remedy: force delete.
    await h.core.deleteNamespacedPod({
      name: pod.metadata.name,
      namespace: 'default',
      gracePeriodSeconds: 0,
    });
    assert.equal(h.sim.get('v1', 'Pod', 'default', pod.metadata.name), undefined);
    h.faults.clear();
  });

  it('deleting a Deployment removes its ReplicaSets and pods (background propagation)', async () => {
    const response = await h.request('DELETE', '/apis/apps/v1/namespaces/default/deployments/spread');
    assert.equal(response.status, 200);
    assert.deepEqual(
      (response.json as { status: string; details: { kind: string; group: string } }).details.kind,
      'deployments',
    );
    await h.until('spread pods gone', () => podsOf(h, 'spread').length === 0);
    assert.equal(
      h.sim.list('apps/v1', 'ReplicaSet', 'default').filter((r) => r.metadata.name.startsWith('spread-'))
        .length,
      0,
    );
  });

  it('node-not-ready: the node goes Unknown, its pods stop being Ready and are evicted after 300 s', async () => {
    h.sim.create(deployment('pinned', 1));
    const pod = await h.until('pinned Ready', () => podsOf(h, 'pinned').find(isReady));
    const nodeName = (pod.spec as { nodeName: string }).nodeName;
    h.faults.add({ kind: 'node-not-ready', node: nodeName });
    await h.core.readNode({ name: nodeName }); // the simulator notices faults on its next request
    await h.until('node Unknown', () =>
      (
        (
          h.sim.get('v1', 'Node', undefined, nodeName)?.status as {
            conditions: Array<{ type: string; status: string }>;
          }
        ).conditions ?? []
      ).some((c) => c.type === 'Ready' && c.status === 'Unknown'),
    );
    const node = await h.core.readNode({ name: nodeName });
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'Unknown');
    assert.equal(ready?.reason, 'NodeStatusUnknown');
    assert.equal(ready?.message, 'Kubelet stopped posting node status.');
    assert.ok(
      node.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'),
    );
    const evicted = await h.until('pod evicted (Terminating forever)', () => {
      const p = h.sim.get('v1', 'Pod', 'default', pod.metadata.name);
      return p?.metadata.deletionTimestamp !== undefined ? p : undefined;
    });
    assert.ok(!isReady(evicted));
    const replacement = await h.until('replacement Ready elsewhere', () =>
      podsOf(h, 'pinned').find((p) => isReady(p) && p.metadata.name !== pod.metadata.name),
    );
    assert.notEqual((replacement.spec as { nodeName: string }).nodeName, nodeName);
    assert.ok(h.sim.get('v1', 'Pod', 'default', pod.metadata.name), 'old pod stuck while the node is down');
    h.faults.clear();
    await h.core.readNode({ name: nodeName });
    await h.until(
      'old pod finally gone once the node is back',
      () => h.sim.get('v1', 'Pod', 'default', pod.metadata.name) === undefined,
    );
  });
});

describe('kube sim deletion propagation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    addNode(h, 'lke1-node-a', '172.105.1.1');
  });
  after(async () => {
    await h.close();
  });

  it('Foreground keeps the Deployment (foregroundDeletion) until its pods are gone', async () => {
    h.sim.create(deployment('fg', 1));
    await h.until('fg Ready', () => podsOf(h, 'fg').find(isReady));
    const response = await h.request('DELETE', '/apis/apps/v1/namespaces/default/deployments/fg', {
      propagationPolicy: 'Foreground',
    });
    assert.equal(response.status, 200);
    const kept = h.sim.get('apps/v1', 'Deployment', 'default', 'fg');
    assert.ok(kept?.metadata.deletionTimestamp);
    assert.deepEqual(kept.metadata.finalizers, ['foregroundDeletion']);
    await h.until(
      'fg deployment gone',
      () => h.sim.get('apps/v1', 'Deployment', 'default', 'fg') === undefined,
    );
    assert.equal(podsOf(h, 'fg').length, 0);
  });

  it('Orphan leaves the ReplicaSet and pods running without an owner', async () => {
    h.sim.create(deployment('orph', 1));
    const pod = await h.until('orph Ready', () => podsOf(h, 'orph').find(isReady));
    await h.request('DELETE', '/apis/apps/v1/namespaces/default/deployments/orph', {
      propagationPolicy: 'Orphan',
    });
    await h.until(
      'orph deployment gone',
      () => h.sim.get('apps/v1', 'Deployment', 'default', 'orph') === undefined,
    );
    const rs = h.sim
      .list('apps/v1', 'ReplicaSet', 'default')
      .find((r) => r.metadata.name.startsWith('orph-'));
    assert.ok(rs);
    assert.equal(rs.metadata.ownerReferences, undefined);
    assert.ok(h.sim.get('v1', 'Pod', 'default', pod.metadata.name));
  });

  it('deleting a namespace empties it (Terminating), then removes it', async () => {
    h.sim.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    h.sim.create(deployment('svc', 2, { namespace: 'team' }));
    await h.until('team pods Ready', () => podsOf(h, 'svc', 'team').filter(isReady).length === 2);
    await h.core.deleteNamespace({ name: 'team' });
    const ns = await h.core.readNamespace({ name: 'team' });
    assert.equal(ns.status?.phase, 'Terminating');
    const refused = await h.request('POST', '/api/v1/namespaces/team/configmaps', {
      metadata: { name: 'late' },
    });
    assert.equal(refused.status, 403);
    await h.until('namespace gone', () => h.sim.get('v1', 'Namespace', undefined, 'team') === undefined);
  });
});

describe('kube sim eviction', () => {
  it('refuses an eviction a PodDisruptionBudget forbids (429 with the budget cause) and allows one it permits', async () => {
    const h = await startHarness();
    try {
      addNode(h, 'lke1-node-a', '172.105.1.1');
      h.sim.create(deployment('db', 2));
      h.sim.create({
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'db-pdb', namespace: 'default' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } },
      });
      const pods = await h.until('2 db Ready', () => {
        const p = podsOf(h, 'db').filter(isReady);
        return p.length === 2 ? p : undefined;
      });
      // Cordoned, as drain does first: replacements stay Pending, so the budget cannot recover mid-test.
      await h.request(
        'PATCH',
        '/api/v1/nodes/lke1-node-a',
        { spec: { unschedulable: true } },
        {
          'Content-Type': 'application/strategic-merge-patch+json',
        },
      );
      const evict = (name: string) =>
        h.request('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace: 'default' },
          deleteOptions: {},
        });
      const first = await evict(pods[0]!.metadata.name);
      assert.equal(first.status, 201);
      const second = await evict(pods[1]!.metadata.name);
      assert.equal(second.status, 429);
      const body = second.json as {
        reason: string;
        message: string;
        details: { causes: Array<{ reason: string; message: string }> };
      };
      assert.equal(body.reason, 'TooManyRequests');
      assert.equal(body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
      assert.deepEqual(body.details.causes[0], {
        reason: 'DisruptionBudget',
        message: 'The disruption budget db-pdb needs 1 healthy pods and has 1 currently',
      });
    } finally {
      await h.close();
    }
  });
});
