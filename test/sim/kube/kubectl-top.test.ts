// The real kubectl 1.32 reads metrics.k8s.io from the simulator as from metrics-server: `kubectl top
// nodes|pods` show the usage the world implies (an OOM-killing neighbour swollen, a node under
// memory pressure near full), and discovery lists the group as the aggregated APIService does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlMissing } from './kubectl.js';
import { type SimKubectl, startSimKubectl } from './sim-kubectl.js';

interface Metrics {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
  items: Array<{
    metadata: { name: string; namespace?: string };
    timestamp: string;
    window: string;
    usage?: { cpu: string; memory: string };
    containers?: Array<{ name: string; usage: { cpu: string; memory: string } }>;
  }>;
}

async function get<T>(s: SimKubectl, path: string, accept = 'application/json'): Promise<T> {
  const response = await fetch(`${s.sim.url}${path}`, { headers: { Accept: accept } });
  return (await response.json()) as T;
}

/** kubectl's table rows: the cells of each line after the header. */
const rows = (stdout: string): string[][] =>
  stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/));

const mebibytes = (ki: string): string => `${Math.floor(Number(ki.replace(/Ki$/, '')) / 1024)}Mi`;

describe('kubectl top against the simulator', { skip: kubectlMissing }, () => {
  describe('a healthy cluster', () => {
    let s: SimKubectl;
    before(async () => {
      s = await startSimKubectl('healthy');
    });
    after(() => s.stop());

    it('top nodes: every node, with the usage metrics.k8s.io reports', async () => {
      const r = await s.k.run('top', 'nodes');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^NAME +CPU\(cores\) +CPU\(%\) +MEMORY\(bytes\) +MEMORY\(%\) *\n/);
      const api = await get<Metrics>(s, '/apis/metrics.k8s.io/v1beta1/nodes');
      assert.equal(api.kind, 'NodeMetricsList');
      assert.equal(api.apiVersion, 'metrics.k8s.io/v1beta1');
      const nodes = s.sim.world.kube
        .list('v1', 'Node')
        .map((n) => n.metadata.name)
        .sort();
      assert.deepEqual(
        rows(r.stdout)
          .map((row) => row[0])
          .sort(),
        nodes,
      );
      for (const row of rows(r.stdout)) {
        const item = api.items.find((i) => i.metadata.name === row[0]);
        assert.equal(row[3], mebibytes(item?.usage?.memory ?? ''));
        assert.match(row[2] ?? '', /^\d+%$/);
      }
    });

    it('top pods: the running pods of the namespace, and --containers their containers', async () => {
      const r = await s.k.run('top', 'pods');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^NAME +CPU\(cores\) +MEMORY\(bytes\) *\n/);
      const pods = s.sim.world.kube
        .list('v1', 'Pod', 'default')
        .filter((p) => (p.status as { phase?: string }).phase === 'Running')
        .map((p) => p.metadata.name)
        .sort();
      assert.deepEqual(
        rows(r.stdout)
          .map((row) => row[0])
          .sort(),
        pods,
      );
      const postgres = s.podOf('postgres');
      const one = await s.k.run('top', 'pod', postgres, '--containers');
      assert.equal(one.code, 0, one.stderr);
      assert.deepEqual(
        rows(one.stdout).map((row) => row.slice(0, 2)),
        [[postgres, 'postgres']],
      );
    });

    it("PodMetrics and NodeMetrics have metrics-server's shape; a missing one is NotFound", async () => {
      const postgres = s.podOf('postgres');
      const pod = await get<Record<string, unknown>>(
        s,
        `/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/${postgres}`,
      );
      assert.deepEqual(Object.keys(pod).sort(), [
        'apiVersion',
        'containers',
        'kind',
        'metadata',
        'timestamp',
        'window',
      ]);
      assert.equal(pod.kind, 'PodMetrics');
      const [container] = pod.containers as Array<{ name: string; usage: { cpu: string; memory: string } }>;
      assert.equal(container?.name, 'postgres');
      assert.match(container?.usage.cpu ?? '', /^\d+n$/);
      assert.match(container?.usage.memory ?? '', /^\d+Ki$/);
      assert.match(String(pod.window), /^\d+(\.\d+)?s$/);
      const missing = await fetch(`${s.sim.url}/apis/metrics.k8s.io/v1beta1/nodes/no-such-node`);
      assert.equal(missing.status, 404);
      assert.equal(
        ((await missing.json()) as { message: string }).message,
        'nodemetrics.metrics.k8s.io "no-such-node" not found',
      );
    });

    it('discovery lists metrics.k8s.io/v1beta1, legacy and aggregated, read-only', async () => {
      const legacy = await get<{
        resources: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }>;
      }>(s, '/apis/metrics.k8s.io/v1beta1');
      assert.deepEqual(
        legacy.resources.map((r) => [r.name, r.kind, r.namespaced, r.verbs]),
        [
          ['nodes', 'NodeMetrics', false, ['get', 'list']],
          ['pods', 'PodMetrics', true, ['get', 'list']],
        ],
      );
      const aggregated = await get<{
        items: Array<{
          metadata: { name?: string };
          versions: Array<{ version: string; resources: Array<{ resource: string; scope: string }> }>;
        }>;
      }>(s, '/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      const group = aggregated.items.find((g) => g.metadata.name === 'metrics.k8s.io');
      assert.deepEqual(
        group?.versions.map((v) => [v.version, v.resources.map((r) => `${r.resource}:${r.scope}`)]),
        [['v1beta1', ['nodes:Cluster', 'pods:Namespaced']]],
      );
      const watch = await fetch(`${s.sim.url}/apis/metrics.k8s.io/v1beta1/nodes?watch=true`);
      assert.equal(watch.status, 405);
      const r = await s.k.run('api-resources', '--api-group=metrics.k8s.io');
      assert.match(r.stdout, /^pods +metrics\.k8s\.io\/v1beta1 +true +PodMetrics$/m);
    });
  });

  it('the OOM night: the unbounded site pods swollen to 1.5 GiB, the killed Postgres without metrics', async () => {
    const s = await startSimKubectl('2021-01-12-site-cpu-ram-exhaustion');
    try {
      const r = await s.k.run('top', 'pods');
      assert.equal(r.code, 0, r.stderr);
      const byName = new Map(rows(r.stdout).map((row) => [row[0], row[2]]));
      const sites = [...byName.keys()].filter((n) => n?.startsWith('site-'));
      assert.equal(sites.length, 2);
      for (const site of sites) assert.equal(byName.get(site), '1536Mi');
      assert.equal(
        [...byName.keys()].some((n) => n?.startsWith('postgres-')),
        false,
      );
    } finally {
      await s.stop();
    }
  });

  it('a node under memory pressure shows its memory nearly full', async () => {
    const s = await startSimKubectl('2021-01-30-nodebalancer-fails-memory');
    try {
      const pressed = s.sim.world.kube
        .list('v1', 'Node')
        .find((n) =>
          (n.status as { conditions?: Array<{ type: string; status: string }> }).conditions?.some(
            (c) => c.type === 'MemoryPressure' && c.status === 'True',
          ),
        );
      assert.ok(pressed !== undefined, 'the scenario starts with a node under memory pressure');
      const r = await s.k.run('top', 'node', pressed.metadata.name);
      assert.equal(r.code, 0, r.stderr);
      const [row] = rows(r.stdout);
      assert.ok(Number((row?.[4] ?? '').replace('%', '')) >= 97, r.stdout);
    } finally {
      await s.stop();
    }
  });
});
