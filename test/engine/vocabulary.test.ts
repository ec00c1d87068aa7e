// The vocabulary holds one definition for every kind of Action and of Wait, each reading as the
// operator checks it, previewed as its kind allows, and the compiler refuses a table with a kind
// left out: the type-level checks below are part of `npm run typecheck`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACTIONS,
  type Action,
  type ActionDefinitions,
  type ActionKind,
  type CordonAction,
  type LeaseAction,
  type PreviewMode,
  WAITS,
  type Wait,
  type WaitDefinitions,
  type WaitKind,
  apply,
  attachVolume,
  backupDatabases,
  cloneVolume,
  cordon,
  createVolume,
  createPvc,
  deleteDeployment,
  deletePod,
  deletePv,
  deletePvc,
  deploymentReady,
  describeAction,
  describeWait,
  linodeStaticPv,
  resizeVolume,
  volumeActive,
  detachVolume,
  evict,
  execInPod,
  forceDeletePod,
  kubernetesActions,
  kubernetesWaits,
  linodeActions,
  manualStep,
  nodeDrained,
  nodeReady,
  podReplaced,
  podsGone,
  postgresActions,
  rebootLinode,
  restoreBackup,
  serverVersion,
  recycleLkeNode,
  rolloutRestart,
  scale,
  setResources,
  terminateBackends,
  uncordon,
  volumeDetached,
  volumeReleased,
  workloadReady,
} from '../../src/engine/vocabulary/index.js';

const site = { namespace: 'shop', kind: 'Deployment', name: 'site' } as const;
const lease: LeaseAction = {
  kind: 'k8s.lease',
  op: 'acquire',
  namespace: 'kube-system',
  name: 'runbook-lock',
  holder: { identity: 'ana@laptop', runbook: 'node-drain', runId: 'r1' },
  durationSeconds: 60,
};
const backend = {
  pid: 4242,
  backendStart: '2024-07-11T00:00:00Z',
  application: 'site',
  client: '10.0.0.7',
  state: 'idle',
  stateSeconds: 900,
  database: 'shop',
  user: 'site',
  query: 'select 1',
  waitEvent: undefined,
  transactionSeconds: undefined,
  connectedSeconds: 3600,
};

interface Expected {
  readonly action: Action;
  readonly title: string;
  readonly before: string;
  readonly after: string;
  readonly equivalent: string | RegExp;
  /** The name typed to confirm it; absent for a change that destroys nothing. */
  readonly confirmName?: string;
  readonly preview: PreviewMode['mode'];
}

/** One action of every kind, with what the operator reads of it; the compiler holds it complete. */
const EVERY_ACTION: {
  readonly [K in ActionKind]: Expected & { readonly action: Extract<Action, { kind: K }> };
} = {
  'k8s.lease': {
    action: lease,
    title: 'acquire the cluster lock kube-system/runbook-lock for ana@laptop',
    before: 'no live holder',
    after: 'held by ana@laptop for 60s',
    equivalent: 'kubectl -n kube-system apply -f lease/runbook-lock',
    preview: 'server-dry-run',
  },
  'k8s.scale': {
    action: scale({ namespace: 'shop', kind: 'StatefulSet', name: 'db' }, 1, 0),
    title: 'scale statefulset shop/db from 1 to 0',
    before: '1 replica',
    after: '0 replicas',
    equivalent: 'kubectl -n shop scale statefulset/db --replicas=0',
    preview: 'server-dry-run',
  },
  'k8s.delete-deployment': {
    action: deleteDeployment('shop', 'site', 2),
    title: 'delete deployment shop/site',
    before: 'deployment with 2 replicas',
    after: 'no deployment (its pods are deleted with it)',
    equivalent: 'kubectl -n shop delete deployment/site',
    confirmName: 'site',
    preview: 'server-dry-run',
  },
  'k8s.force-delete-pod': {
    action: forceDeletePod('shop', 'db-0', 'uid-1', 'lke-1'),
    title: 'force-delete pod shop/db-0',
    before: 'pod stuck terminating on lke-1',
    after: 'pod removed from the API without waiting for its kubelet',
    equivalent: 'kubectl -n shop delete pod/db-0 --force --grace-period=0',
    confirmName: 'db-0',
    preview: 'server-dry-run',
  },
  'k8s.delete-pod': {
    action: deletePod({
      namespace: 'shop',
      name: 'redis-0',
      uid: 'uid-3',
      gracePeriodSeconds: 30,
      reason: '0/1 ready; CrashLoopBackOff',
    }),
    title: 'delete pod shop/redis-0 (0/1 ready; CrashLoopBackOff)',
    before: 'pod redis-0: 0/1 ready; CrashLoopBackOff',
    after: 'pod stopped within 30 seconds; its controller starts a replacement',
    equivalent: 'kubectl -n shop delete pod/redis-0 --grace-period=30',
    confirmName: 'redis-0',
    preview: 'server-dry-run',
  },
  'k8s.apply': {
    action: apply(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site', namespace: 'shop' } },
      'team/site.yaml',
    ),
    title: 'apply configmap/site in shop from team/site.yaml',
    before: 'absent or different',
    after: 'as in team/site.yaml',
    equivalent: 'kubectl -n shop apply --server-side -f team/site.yaml',
    preview: 'server-dry-run',
  },
  'k8s.delete-pvc': {
    action: deletePvc('shop', 'data-db-0', 'uid-2', 'pvc-abc'),
    title: 'delete PersistentVolumeClaim shop/data-db-0',
    before: 'claim bound to pvc-abc',
    after: 'no claim (held until no pod uses it); its volume follows its reclaim policy',
    equivalent: 'kubectl -n shop delete pvc/data-db-0',
    confirmName: 'data-db-0',
    preview: 'server-dry-run',
  },
  'k8s.create-pvc': {
    action: createPvc({
      namespace: 'shop',
      name: 'pg-data-new',
      storageClass: 'linode-block-storage-retain',
      size: '20Gi',
      volumeName: 'pg-restored',
    }),
    title: 'create PersistentVolumeClaim shop/pg-data-new (20Gi, linode-block-storage-retain)',
    before: 'no claim',
    after: 'claim of 20Gi, bound to PersistentVolume pg-restored',
    equivalent:
      'kubectl -n shop create -f pvc-pg-data-new.yaml  (storageClassName: linode-block-storage-retain, storage: 20Gi, volumeName: pg-restored)',
    preview: 'server-dry-run',
  },
  'k8s.create-pv': {
    action: linodeStaticPv({ id: 1200007, label: 'pg-clone', size: 20 }, { name: 'pg-restored' }),
    title: 'create PersistentVolume pg-restored over Linode volume 1200007 (pg-clone)',
    before: 'no PersistentVolume',
    after:
      'PersistentVolume of 20Gi (linode-block-storage-retain, Retain), linodebs.csi.linode.com handle 1200007-pg-clone',
    equivalent:
      'kubectl create -f pv-pg-restored.yaml  (csi.driver: linodebs.csi.linode.com, csi.volumeHandle: 1200007-pg-clone)',
    preview: 'server-dry-run',
  },
  'k8s.delete-pv': {
    action: deletePv('pg-restored', 'uid-3', undefined, 'Retain'),
    title: 'delete PersistentVolume pg-restored',
    before: 'volume bound to no claim',
    after:
      'no PersistentVolume (held while a claim is bound to it); its storage follows reclaim policy Retain',
    equivalent: 'kubectl delete pv/pg-restored',
    confirmName: 'pg-restored',
    preview: 'server-dry-run',
  },
  'k8s.rollout-restart': {
    action: rolloutRestart(site, '2024-07-11T00:32:00Z', '1/2 ready: CrashLoopBackOff'),
    title: 'restart deployment shop/site (1/2 ready: CrashLoopBackOff)',
    before: 'pods as they are: 1/2 ready: CrashLoopBackOff',
    after: 'every pod replaced, rolling (restartedAt 2024-07-11T00:32:00Z)',
    equivalent: 'kubectl -n shop rollout restart deployment/site',
    preview: 'server-dry-run',
  },
  'k8s.set-resources': {
    action: setResources(
      site,
      'web',
      { requests: { cpu: '100m' } },
      { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
      'limits.yaml',
    ),
    title: 'set requests and limits of deployment shop/site container web from limits.yaml',
    before: 'requests cpu 100m, memory none; limits cpu none, memory none',
    after: 'requests cpu 250m, memory 256Mi; limits cpu none, memory 512Mi (its pods roll to take them)',
    equivalent:
      'kubectl -n shop set resources deployment/site -c web --requests=cpu=250m,memory=256Mi --limits=memory=512Mi',
    preview: 'server-dry-run',
  },
  'k8s.cordon': {
    action: cordon('lke-1'),
    title: 'cordon node lke-1',
    before: 'schedulable',
    after: 'unschedulable: no new pod lands on it (pods already there keep running)',
    equivalent: 'kubectl cordon lke-1',
    preview: 'server-dry-run',
  },
  'k8s.uncordon': {
    action: uncordon('lke-1'),
    title: 'uncordon node lke-1',
    before: 'unschedulable (cordoned)',
    after: 'schedulable: new pods may land on it',
    equivalent: 'kubectl uncordon lke-1',
    preview: 'server-dry-run',
  },
  'k8s.evict': {
    action: evict(
      'lke-1',
      [{ namespace: 'shop', name: 'site-1', uid: 'u1', owner: 'deployment site', budget: undefined }],
      { concurrency: 2, timeoutMs: 60_000 },
    ),
    title: 'evict 1 pod from node lke-1, at most 2 at a time, PodDisruptionBudgets respected',
    before: 'on lke-1: shop/site-1 (deployment site)',
    after: 'gone from the node; their controllers start replacements on other nodes',
    equivalent: 'kubectl drain lke-1 --ignore-daemonsets  (POST …/pods/{name}/eviction for each)',
    preview: 'server-dry-run',
  },
  'linode.volume.detach': {
    action: detachVolume({ id: 42, label: 'pvcabc' }, 7, 'lke-1'),
    title: 'detach Linode volume pvcabc (42) from lke-1',
    before: 'attached to Linode lke-1 (7)',
    after: 'detached',
    equivalent: 'POST /v4/volumes/42/detach  (linode-cli volumes detach 42)',
    confirmName: 'pvcabc',
    preview: 'twin-only',
  },
  'linode.volume.attach': {
    action: attachVolume({ id: 42, label: 'pvcabc' }, 8, 'lke-2'),
    title: 'attach Linode volume pvcabc (42) to lke-2',
    before: 'detached',
    after: 'attached to Linode lke-2 (8)',
    equivalent: 'POST /v4/volumes/42/attach {"linode_id":8,"persist_across_boots":false}',
    preview: 'twin-only',
  },
  'linode.lke.recycle-node': {
    action: recycleLkeNode(16405, '16405-5fafd1b46dcf', 'lke-1', 7),
    title: 'recycle LKE node lke-1 (16405-5fafd1b46dcf) of cluster 16405',
    before: 'backed by Linode 7',
    after:
      'Linode deleted (local disks erased, volumes detached) and replaced by a new one, which registers again',
    equivalent: /^POST \/v4\/lke\/clusters\/16405\/nodes\/16405-5fafd1b46dcf\/recycle /,
    confirmName: 'lke-1',
    preview: 'twin-only',
  },
  'linode.reboot': {
    action: rebootLinode(7, 'lke-1-linode', 'lke-1'),
    title: 'reboot Linode lke-1-linode (7) behind node lke-1',
    before: 'running, its kubelet not answering',
    after: 'restarted with its disks; everything on it is killed and starts again',
    equivalent: 'POST /v4/linode/instances/7/reboot  (linode-cli linodes reboot 7)',
    confirmName: 'lke-1',
    preview: 'twin-only',
  },
  'linode.volume.create': {
    action: createVolume({ label: 'pg-data-16', size: 20, region: 'us-east' }),
    title: 'create Linode volume pg-data-16 (20 GiB in us-east)',
    before: 'no volume labelled pg-data-16',
    after: 'volume pg-data-16 of 20 GiB in us-east, detached (creating, then active)',
    equivalent:
      'POST /v4/volumes {"label":"pg-data-16","size":20,"region":"us-east"}  (linode-cli volumes create --label pg-data-16 --size 20 --region us-east)',
    preview: 'twin-only',
  },
  'linode.volume.clone': {
    action: cloneVolume({ id: 42, label: 'pg-data', size: 20 }, 'pg-data-copy'),
    title: 'clone Linode volume pg-data (42) as pg-data-copy',
    before: 'volume pg-data of 20 GiB; no volume labelled pg-data-copy',
    after: 'volume pg-data-copy: a copy of pg-data (20 GiB, same region, detached); pg-data unchanged',
    equivalent:
      'POST /v4/volumes/42/clone {"label":"pg-data-copy"}  (linode-cli volumes clone 42 --label pg-data-copy)',
    preview: 'twin-only',
  },
  'linode.volume.resize': {
    action: resizeVolume({ id: 42, label: 'pg-data', size: 20 }, 40),
    title: 'resize Linode volume pg-data (42) from 20 to 40 GiB',
    before: '20 GiB',
    after: '40 GiB (a volume cannot shrink again)',
    equivalent: 'POST /v4/volumes/42/resize {"size":40}  (linode-cli volumes resize 42 --size 40)',
    preview: 'twin-only',
  },
  'postgres.terminate': {
    action: terminateBackends('postgres://site@db/shop', 'idle connections of site', 'site', [backend]),
    title: 'terminate 1 connection on postgres://site@db/shop: idle connections of site',
    before: '1 backend open (pids 4242)',
    after: 'those backends closed; their clients must reconnect',
    equivalent: `psql -c 'select pg_terminate_backend(pid) from pg_stat_activity where pid in (4242)'`,
    confirmName: 'site',
    preview: 'not-previewable',
  },
  'postgres.backup': {
    action: backupDatabases('postgres://site@db/shop', {
      databases: ['shop'],
      directory: '/var/backups/my db',
      stamp: '20240711T003200Z',
      verify: 'list',
    }),
    title: 'back up shop from postgres://site@db/shop to /var/backups/my db',
    before: 'no backup of this moment',
    after: 'shop-20240711T003200Z.dump with .sha256 beside each, verified by pg_restore --list',
    equivalent: `pg_dump --format=custom --file='/var/backups/my db/shop-20240711T003200Z.dump' shop`,
    preview: 'not-previewable',
  },
  'k8s.exec': {
    action: execInPod({
      namespace: 'default',
      pod: 'postgres-0',
      container: 'postgres',
      command: ['psql', '-c', 'select 1'],
      purpose: 'check that Postgres answers',
    }),
    title: 'check that Postgres answers: run psql in pod default/postgres-0',
    before: "psql -c 'select 1' not yet run",
    after: 'it ran to exit code 0 (output kept to 64 KiB, at most 60s)',
    equivalent: "kubectl -n default exec postgres-0 -c postgres -- psql -c 'select 1'",
    preview: 'not-previewable',
  },
  'operator.manual': {
    action: manualStep({
      title: 'put the site into maintenance mode',
      instructions: [
        'At the DNS provider, point shop.example.com at the maintenance page.',
        'Wait 5 minutes.',
      ],
      skippable: true,
    }),
    title: 'by hand: put the site into maintenance mode',
    before: 'At the DNS provider, point shop.example.com at the maintenance page. / Wait 5 minutes.',
    after: 'done by the operator, who confirms it (left out with --yes)',
    equivalent:
      '(by hand) At the DNS provider, point shop.example.com at the maintenance page.; Wait 5 minutes.',
    preview: 'not-previewable',
  },
  'postgres.restore': {
    action: restoreBackup('postgres://site@db/shop', {
      target: 'postgres://postgres@db16:5432/postgres',
      directory: '/var/backups',
      stamp: '20240711T003200Z',
      databases: ['shop'],
      globals: true,
    }),
    title: 'restore the roles and shop from /var/backups into postgres://postgres@db16:5432/postgres',
    before: '1 database absent on postgres://postgres@db16:5432/postgres',
    after: "the roles, then shop restored, every table's row count equal to postgres://site@db/shop's",
    equivalent:
      'psql --dbname=postgres://postgres@db16:5432/postgres --file=/var/backups/globals-20240711T003200Z.sql && ' +
      'pg_restore --create --exit-on-error --dbname=postgres://postgres@db16:5432/postgres /var/backups/shop-20240711T003200Z.dump',
    preview: 'not-previewable',
  },
};

/** One wait of every kind, with the sentence the operator reads while it runs. */
const EVERY_WAIT: { readonly [K in WaitKind]: { wait: Extract<Wait, { kind: K }>; reads: string } } = {
  'k8s.pod-replaced': {
    wait: podReplaced({
      namespace: 'shop',
      name: 'redis-0',
      uid: 'uid-3',
      labelSelector: 'app=redis',
      timeoutMs: 300_000,
    }),
    reads: 'wait until pod shop/redis-0 is replaced by a new one and Ready (at most 300s)',
  },
  'k8s.pods-gone': {
    wait: podsGone({ namespace: 'shop', labelSelector: 'app=db', timeoutMs: 120_000, whenStuck: 'fail' }),
    reads: 'wait until no pod matches app=db in shop (at most 120s)',
  },
  'k8s.deployment-ready': {
    wait: deploymentReady({ namespace: 'shop', name: 'db', replicas: 1, timeoutMs: 300_000 }),
    reads: 'wait until deployment shop/db has 1 ready (at most 300s)',
  },
  'k8s.volume-released': {
    wait: volumeReleased({ persistentVolume: 'pvc-abc', timeoutMs: 90_400, whenStuck: 'continue' }),
    reads: 'wait until the CSI driver releases pvc-abc (at most 90s)',
  },
  'k8s.workload-ready': {
    wait: workloadReady({
      target: { namespace: 'kube-system', kind: 'DaemonSet', name: 'csi' },
      timeoutMs: 60_000,
    }),
    reads: 'wait until daemonset kube-system/csi has rolled out and every pod is Ready (at most 60s)',
  },
  'k8s.node-drained': {
    wait: nodeDrained({
      node: 'lke-1',
      pods: [{ namespace: 'shop', name: 'site-1', uid: 'u1' }],
      timeoutMs: 60_000,
      whenStuck: 'fail',
    }),
    reads: 'wait until 1 evicted pod is gone from node lke-1 (at most 60s)',
  },
  'k8s.node-ready': {
    wait: nodeReady({ node: 'lke-1', replacing: 7, timeoutMs: 600_000 }),
    reads: 'wait until node lke-1 is Ready on a new Linode (not 7) (at most 600s)',
  },
  'linode.volume-detached': {
    wait: volumeDetached({ volumeId: 42, volumeLabel: 'pvcabc', timeoutMs: 300_000 }),
    reads: 'wait until Linode reports volume pvcabc detached (at most 300s)',
  },
  'linode.volume-active': {
    wait: volumeActive({ volumeLabel: 'pg-data', size: 40, timeoutMs: 600_000 }),
    reads: 'wait until Linode reports volume pg-data active with 40 GiB (at most 600s)',
  },
  'postgres.server-version': {
    wait: serverVersion({ server: 'postgres://postgres@db/postgres', major: 16, timeoutMs: 300_000 }),
    reads: 'wait until postgres://postgres@db/postgres reports version 16 (at most 300s)',
  },
};

/** The kinds journals written before the vocabulary carry: each must still read, so resume works. */
const JOURNALED_KINDS = [
  'k8s.lease',
  'k8s.scale',
  'k8s.delete-deployment',
  'k8s.force-delete-pod',
  'k8s.apply',
  'linode.volume.detach',
  'linode.volume.attach',
  'postgres.terminate',
  'postgres.backup',
  'k8s.rollout-restart',
  'k8s.set-resources',
  'k8s.cordon',
  'k8s.uncordon',
  'k8s.evict',
  'linode.lke.recycle-node',
  'linode.reboot',
];

describe('the vocabulary', () => {
  it('has one definition for every kind of action and of wait, and no other', () => {
    assert.deepEqual(Object.keys(ACTIONS).sort(), Object.keys(EVERY_ACTION).sort());
    assert.deepEqual(Object.keys(WAITS).sort(), Object.keys(EVERY_WAIT).sort());
    for (const kind of JOURNALED_KINDS) assert.ok(kind in ACTIONS, `${kind} of older journals`);
  });

  for (const [kind, expected] of Object.entries(EVERY_ACTION)) {
    it(`${kind} reads before → after with its command, and previews as ${expected.preview}`, () => {
      const d = describeAction(expected.action);
      assert.equal(d.title, expected.title);
      assert.equal(d.before, expected.before);
      assert.equal(d.after, expected.after);
      if (typeof expected.equivalent === 'string') assert.equal(d.equivalent, expected.equivalent);
      else assert.match(d.equivalent, expected.equivalent);
      assert.equal(d.confirmName, expected.confirmName);
      assert.equal(d.destructive, expected.confirmName !== undefined);
      assert.equal(ACTIONS[expected.action.kind].preview.mode, expected.preview);
    });
  }

  it('says what a change nothing can rehearse is checked for instead', () => {
    for (const kind of ['postgres.terminate', 'postgres.backup', 'postgres.restore'] as const) {
      const preview = ACTIONS[kind].preview;
      assert.equal(preview.mode, 'not-previewable');
      assert.match(preview.checked, /checked instead: .*Nothing was/);
    }
    assert.deepEqual(ACTIONS['linode.reboot'].preview, {
      mode: 'twin-only',
      why: 'the Linode API has no dry run: applied to the twin only',
    });
  });

  for (const [kind, { wait, reads }] of Object.entries(EVERY_WAIT)) {
    it(`${kind} reads as the operator sees it, with its bound`, () => {
      assert.equal(describeWait(wait), reads);
    });
  }

  it('a backup with globals names the private roles file first, and pg_dumpall', () => {
    const d = describeAction(
      backupDatabases('postgres://postgres@db/postgres', {
        databases: ['shop'],
        directory: '/b',
        stamp: '20240711T003200Z',
        verify: 'list',
        globals: true,
      }),
    );
    assert.equal(d.title, 'back up the roles and shop from postgres://postgres@db/postgres to /b');
    assert.match(d.after, /^globals-20240711T003200Z\.sql \(roles with their passwords: private\), shop-/);
    assert.match(
      d.equivalent,
      /^pg_dumpall --globals-only --file=\/b\/globals-20240711T003200Z\.sql && pg_dump /,
    );
  });

  it('lists no more than eight pods of an eviction, and how many more', () => {
    const pods = Array.from({ length: 11 }, (_, i) => ({
      namespace: 'shop',
      name: `site-${i}`,
      uid: `u${i}`,
      owner: 'deployment site',
      budget: undefined,
    }));
    const d = describeAction(evict('lke-1', pods, { concurrency: 2, timeoutMs: 1000 }));
    assert.match(d.before, /shop\/site-7 \(deployment site\), and 3 more$/);
    assert.doesNotMatch(d.before, /site-8/);
  });
});

// Compile-time checks: `npm run typecheck` fails if any of these stops being an error.

// @ts-expect-error: the cluster lock's entry is missing, so the table is incomplete.
const _missingAction: ActionDefinitions<Action> = {
  ...kubernetesActions,
  ...linodeActions,
  ...postgresActions,
};

// @ts-expect-error: the Linode wait's entry is missing.
const _missingWait: WaitDefinitions<Wait> = { ...kubernetesWaits };

const _wrongShape = {
  'k8s.cordon': {
    // @ts-expect-error: a cordon has no pods: each entry sees its own kind's fields only.
    describe: (a) => ({ ...describeAction(cordon(String(a.pods))) }),
    preview: { mode: 'server-dry-run' },
    permissions: [],
    perform: (a, w, options) => w.kube.cordon(a.node, true, options),
  },
} satisfies ActionDefinitions<CordonAction>;

const _noPermissions = {
  // @ts-expect-error: every kind declares what it asks of the APIs; a Role is derived from it.
  'k8s.cordon': {
    describe: (a) => describeAction(cordon(a.node)),
    preview: { mode: 'server-dry-run' },
    perform: (a, w, options) => w.kube.cordon(a.node, true, options),
  },
} satisfies ActionDefinitions<CordonAction>;

// @ts-expect-error: a preview mode outside the three a dry run knows.
const _unknownPreview: PreviewMode = { mode: 'maybe' };

// @ts-expect-error: a table of samples with a kind left out does not build either.
const _missingSample: { readonly [K in ActionKind]: Action } = { 'k8s.lease': lease };
