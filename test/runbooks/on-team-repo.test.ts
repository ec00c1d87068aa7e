// The runbooks against a team's own repository loaded as `sim start --load` loads it (the team-repo
// fixture: nested folders, Helm values, rules, an encrypted and a broken file beside the manifests):
// each one that applies plans with --dry-run and changes nothing, and with --yes leaves the world right.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestsLoader } from '../../src/sim/load.js';
import { settle } from '../../src/sim/scenario.js';
import type { KubeObject } from '../../src/sim/world.js';
import type pg from 'pg';
import { ROOT, runCli } from '../helpers/cli.js';
import {
  SUPERUSER_PASSWORD,
  type TestPostgres,
  forwardPostgresPodsTo,
  startTestPostgres,
  waitFor,
} from '../helpers/postgres.js';
import { type SimHarness, readyReplicas, startWorldHarness } from '../helpers/sim.js';

const TEAM_REPO = join(ROOT, 'test', 'fixtures', 'team-repo');
const TEAM_NAMESPACES = ['default', 'bots'];

const loaded = (): Promise<SimHarness> => startWorldHarness(manifestsLoader(TEAM_REPO));

const restartedAt = (o: KubeObject | undefined): string | undefined =>
  (o?.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template
    ?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'];

/** The node running most of the team's pods. */
function busiestNode(h: SimHarness): string {
  const count = new Map<string, number>();
  for (const pod of h.sim.world.kube.list('v1', 'Pod')) {
    const node = (pod.spec as { nodeName?: string }).nodeName;
    if (node !== undefined && TEAM_NAMESPACES.includes(pod.metadata.namespace ?? ''))
      count.set(node, (count.get(node) ?? 0) + 1);
  }
  const [node] = [...count].sort((a, b) => b[1] - a[1])[0] ?? [];
  assert.ok(node !== undefined, 'no team pod is scheduled');
  return node;
}

describe('nodebalancer-check on the loaded LoadBalancer Service', () => {
  let h: SimHarness;
  before(async () => {
    h = await loaded();
  });
  after(() => h.stop());

  it('finds the NodeBalancer the cloud controller made for default/site, and its backends on every node', async () => {
    const result = await runCli(['nodebalancer-check'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /NodeBalancer ccm-[0-9a-f]{12} \(\d+, /);
    assert.match(result.stdout, /port 80\/tcp: 3 up, 0 down; NodePort \d+ is default\/site port 80/);
    assert.deepEqual(h.mutations(), []);
  });
});

describe('postgres-remount on the repository’s Postgres', () => {
  let h: SimHarness;
  before(async () => {
    h = await loaded();
  });
  after(() => h.stop());

  it('--dry-run plans taking it down, detaching its volume and bringing it back, and changes nothing', async () => {
    const result = await runCli(['postgres-remount', '--dry-run', '--backup', 'skip'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /postgres-data/);
    assert.match(result.stdout, /detach/i);
    assert.deepEqual(h.mutations(), []);
  });

  it('--yes remounts it: Postgres Ready again on its claim, its volume attached where it runs', async () => {
    const result = await runCli(['postgres-remount', '--yes', '--backup', 'skip'], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.equal(readyReplicas(h), 1);
    // A healthy cluster's CSI driver releases the volume itself: scaled down and back, nothing to detach.
    assert.deepEqual(
      h.mutations().map((r) => `${r.method} ${r.path}`),
      [
        'PATCH /apis/apps/v1/namespaces/default/deployments/postgres/scale',
        'PATCH /apis/apps/v1/namespaces/default/deployments/postgres/scale',
      ],
    );
    assert.match(result.stdout, /volume \S+ is not attached to any Linode/);
    assert.match(result.stdout, /✓ 1\/1 Ready; volume \S+ attached to (\S+), where postgres-\S+ runs on \1/);
    const claim = h.get<{ status?: { phase?: string } }>(
      'v1',
      'PersistentVolumeClaim',
      'default',
      'postgres-data',
    );
    assert.equal(claim?.status?.phase, 'Bound');
  });
});

describe('postgres-connections on the repository’s Postgres, a real server behind its pod', () => {
  let h: SimHarness;
  let db: TestPostgres;
  let bots: pg.Client[] = [];
  let admin: pg.Client;
  before(async () => {
    h = await loaded();
    db = await startTestPostgres();
    admin = await db.admin();
    bots = await db.openClients(8, 'reminder');
    await forwardPostgresPodsTo(h.sim.url, db);
  });
  after(async () => {
    await Promise.allSettled([...bots, admin].map((c) => c.end()));
    await db.stop();
    await h.stop();
  });

  const terminate = ['--application', 'reminder', '--state', 'idle', '--older-than', '0'];
  const reminders = async (): Promise<string | undefined> => {
    const { rows } = await admin.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where application_name = 'reminder'",
    );
    return rows[0]?.n;
  };

  it('--dry-run reads the connections through a port-forward to the loaded pod and terminates none', async () => {
    const result = await runCli(['postgres-connections', '--dry-run', ...terminate], {
      env: h.env({ PGPASSWORD: SUPERUSER_PASSWORD }),
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /via port-forward to/);
    assert.match(result.stdout, /8 {2}reminder @ 127\.0\.0\.1, idle/);
    assert.equal(await reminders(), '8');
    assert.deepEqual(h.mutations(), []);
  });

  it('--yes terminates the chosen ones', async () => {
    const result = await runCli(['postgres-connections', '--yes', ...terminate], {
      env: h.env({ PGPASSWORD: SUPERUSER_PASSWORD }),
    });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    await waitFor('the reminder connections to end', async () =>
      (await reminders()) === '0' ? true : undefined,
    );
    assert.ok(!(result.stdout + result.stderr).includes(SUPERUSER_PASSWORD));
  });
});

describe('node-drain on the node that runs most of the team’s pods', () => {
  let h: SimHarness;
  let node: string;
  before(async () => {
    h = await loaded();
    node = busiestNode(h);
  });
  after(() => h.stop());

  it('--dry-run plans the cordon and evictions and changes nothing', async () => {
    const result = await runCli(['node-drain', '--dry-run', '--node', node], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /cordon/i);
    assert.deepEqual(h.mutations(), []);
  });

  it('--yes cordons it and moves every team pod off, and the team’s workloads come back Ready', async () => {
    const result = await runCli(['node-drain', '--yes', '--node', node], { env: h.env() });
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const world = h.sim.world;
    assert.equal(
      (world.kube.get('v1', 'Node', undefined, node)?.spec as { unschedulable?: boolean }).unschedulable,
      true,
    );
    await settle(world);
    const left = world.kube
      .list('v1', 'Pod')
      .filter((p) => TEAM_NAMESPACES.includes(p.metadata.namespace ?? ''))
      .filter((p) => (p.spec as { nodeName?: string }).nodeName === node);
    assert.deepEqual(
      left.map((p) => p.metadata.name),
      [],
    );
    assert.equal(readyReplicas(h), 1, 'Postgres is Ready on another node');
    assert.equal(readyReplicas(h, 'default', 'site'), 2);
  });
});

describe('core-services-restart on a loaded world', () => {
  let h: SimHarness;
  before(async () => {
    h = await loaded();
  });
  after(() => h.stop());

  it('the built-in layout names what a loaded world lacks; --layout cluster finds the team’s own waves', async () => {
    const lke = await runCli(['core-services-restart', '--dry-run'], { env: h.env() });
    assert.equal(lke.exitCode, 5, lke.stderr + lke.stdout);
    assert.match(lke.stderr, /deployment default\/redis of the stateful wave does not exist/);

    const result = await runCli(
      ['core-services-restart', '--dry-run', '--layout', 'cluster', '--manifests', TEAM_REPO],
      { env: h.env() },
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const out = result.stdout;
    assert.match(out, /stateful: default\/deployment\/postgres, default\/statefulset\/redis/);
    assert.match(out, /apps: bots\/deployment\/reminder, default\/deployment\/site/);
    assert.match(out, /not read from --manifests: \S+redis\/config\.yaml: not valid YAML/);
    assert.deepEqual(h.mutations(), []);
  });

  it('--yes --restart all restarts LKE’s core services and every team workload, each wave Ready', async () => {
    const result = await runCli(
      ['core-services-restart', '--yes', '--layout', 'cluster', '--manifests', TEAM_REPO, '--restart', 'all'],
      { env: h.env() },
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const restarted = (apiVersion: string, kind: string, namespace: string, name: string): boolean =>
      restartedAt(h.sim.world.kube.get(apiVersion, kind, namespace, name)) !== undefined;
    for (const [kind, namespace, name] of [
      ['DaemonSet', 'kube-system', 'calico-node'],
      ['Deployment', 'kube-system', 'coredns'],
      ['DaemonSet', 'kube-system', 'csi-linode-node'],
      ['Deployment', 'default', 'postgres'],
      ['StatefulSet', 'default', 'redis'],
      ['Deployment', 'default', 'site'],
      ['Deployment', 'bots', 'reminder'],
    ] as const)
      assert.ok(
        restarted('apps/v1', kind, namespace, name),
        `${kind} ${namespace}/${name} was not restarted`,
      );
    assert.equal(readyReplicas(h), 1);
  });
});
