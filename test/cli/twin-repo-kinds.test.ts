// The dry-run twin of a cluster built from a team's repository holds the same objects of the kinds
// such a repository carries (ServiceAccounts, RBAC, Ingresses and their class, NetworkPolicies, Jobs,
// CronJobs, CRDs and their custom resources), so a dry run plans against what live has.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeBalancerCheck } from '../../runbooks/nodebalancer-check.js';
import { postgresRemount } from '../../runbooks/postgres-remount.js';
import type { RawKubeObject } from '../../src/engine/ports.js';
import { type Target, connectTarget } from '../../src/cli/target.js';
import { startTwin } from '../../src/cli/twin.js';
import { manifestsLoader } from '../../src/sim/load.js';
import { ROOT } from '../helpers/cli.js';
import { type SimHarness, startWorldHarness } from '../helpers/sim.js';

const TEAM_REPO = join(ROOT, 'test', 'fixtures', 'team-repo');

const REPOSITORY_KINDS = new Set([
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
  'Job',
  'CronJob',
  'CustomResourceDefinition',
  'ClusterIssuer',
]);

const keysOf = (objects: readonly RawKubeObject[], namespaces?: readonly string[]): string[] =>
  objects
    .filter((o) => REPOSITORY_KINDS.has(o.kind))
    .filter(
      (o) =>
        namespaces === undefined ||
        o.metadata.namespace === undefined ||
        namespaces.includes(o.metadata.namespace),
    )
    .map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)
    .sort();

describe('the dry-run twin of a loaded repository', () => {
  let h: SimHarness;
  before(async () => {
    h = await startWorldHarness(manifestsLoader(TEAM_REPO));
    // What the fixture does not hold but live clusters do: an IngressClass, a NetworkPolicy, a Job.
    const kube = h.sim.world.kube;
    kube.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    });
    kube.create({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'postgres-from-site', namespace: 'default' },
      spec: { podSelector: { matchLabels: { app: 'postgres' } }, policyTypes: ['Ingress'] },
    });
    kube.create({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'reminder-backfill', namespace: 'bots' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            containers: [{ name: 'backfill', image: 'example.org/reminder:1.0' }],
          },
        },
      },
    });
  });
  // The Linode client's base URL is one per process: the twin's connection moves it, so each run connects anew.
  const connectLive = (): Promise<Target> => connectTarget({ kubeconfig: h.kubeconfig, env: h.env() });
  after(() => h.stop());

  it('copies every object of those kinds, custom resources included, and live sees only reads', async () => {
    const live = await connectLive();
    const twin = await startTwin(live, nodeBalancerCheck, {});
    try {
      const want = keysOf(await live.read.kube.snapshot('all'));
      for (const expected of [
        'ClusterIssuer /letsencrypt',
        'CustomResourceDefinition /clusterissuers.certs.example.org',
        'CronJob bots/reminder-digest',
        'Job bots/reminder-backfill',
        'Ingress default/site',
        'IngressClass /nginx',
        'NetworkPolicy default/postgres-from-site',
        'ServiceAccount default/deployer',
        'Role default/deployer',
        'RoleBinding default/deployer',
        'ClusterRole /node-reader',
        'ClusterRoleBinding /deployer-node-reader',
      ])
        assert.ok(want.includes(expected), `live has no ${expected}`);
      assert.deepEqual(keysOf(await twin.target.read.kube.snapshot('all')), want);
      assert.deepEqual(h.mutations(), []);
    } finally {
      await twin.stop();
    }
  });

  it("a run confined to a namespace copies that namespace's objects and the cluster-wide ones", async () => {
    const live = await connectLive();
    const twin = await startTwin(live, postgresRemount, { namespace: 'default' });
    try {
      const copied = keysOf(await twin.target.read.kube.snapshot('all'));
      assert.deepEqual(copied, keysOf(await live.read.kube.snapshot('all'), ['default']));
      assert.ok(!copied.some((k) => k.startsWith('CronJob bots/')), 'nothing of bots');
      assert.ok(copied.includes('ClusterIssuer /letsencrypt'));
    } finally {
      await twin.stop();
    }
  });
});
