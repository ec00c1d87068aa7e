// postgres-remount: take Postgres down, free its Linode volume, bring it back on a clean mount.
// The recovery of 2020-12-11 (connection surge) and of Postgres on 2021-07-11, typed by hand those
// nights: kubectl delete deployment/postgres; kubectl delete pod --force --grace-period=0;
// unmount the volume at Linode; kubectl apply -f postgres/deployment.yaml.
import {
  apply,
  deleteDeployment,
  deploymentReady,
  detachVolume,
  forceDeletePod,
  podsGone,
  scale,
  volumeDetached,
  volumeReleased,
} from '../src/engine/vocabulary/index.js';
import { preconditionFailed } from '../src/engine/errors.js';
import {
  type ParamsOf,
  choice,
  filePath,
  integer,
  k8sName,
  writableDirectory,
} from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import type { StepContext } from '../src/engine/typed-steps.js';
import { postgresTarget } from './postgres-target-params.js';
import { checkRemountBackup, planRemountBackup } from './postgres-remount/backup.js';
import { locatePostgres, manifestToReapply, type RemountFacts } from './postgres-remount/locate.js';
import { checkRemounted } from './postgres-remount/verify.js';

const remountParams = {
  namespace: k8sName({
    description: 'namespace of the Postgres deployment',
    default: 'default',
    label: true,
  }),
  deployment: k8sName({ description: 'name of the Postgres deployment', default: 'postgres' }),
  strategy: choice({
    description: 'scale: scale to 0 and back; recreate: delete the deployment and re-apply it',
    choices: ['scale', 'recreate'] as const,
    default: 'scale',
  }),
  manifest: filePath({ description: 'with strategy=recreate: the deployment manifest to re-apply' }),
  replicas: integer({
    description: 'replica count to restore (default: the current one, or 1 when Postgres is already at 0)',
    min: 1,
    max: 10,
  }),
  backup: choice({
    description: 'offer: back up first when Postgres answers; require: stop if it cannot; skip: no backup',
    choices: ['offer', 'require', 'skip'] as const,
    default: 'offer',
  }),
  backupDirectory: writableDirectory({ description: 'where the backup dumps go', default: '.' }),
};

export type RemountParams = ParamsOf<typeof remountParams>;

const MINUTE = 60_000;

/** What brings Postgres back as the first step found it: its replica count, or its manifest re-applied. */
async function restorePostgres({ params, facts, read }: StepContext<RemountParams, RemountFacts>) {
  const { namespace, deployment } = params;
  const replicas = facts.replicas;
  const live = await read.kube.getDeployment(namespace, deployment);
  const current = live?.spec?.replicas ?? 0;
  const actions =
    live === undefined
      ? [apply(await manifestToReapply(params, facts.manifest), facts.manifestSource)]
      : current !== replicas
        ? [scale({ namespace, kind: 'Deployment', name: deployment }, current, replicas)]
        : [];
  return {
    actions,
    notes: actions.length === 0 ? [`deployment ${namespace}/${deployment} already wants ${replicas}`] : [],
  };
}

export const postgresRemount = defineRunbook({
  id: 'postgres-remount',
  title: 'Take Postgres down, detach its Linode volume, bring it back on a clean mount',
  summary:
    'For a Postgres that must be restarted off its volume: saturated connections (2020-12-11) or a volume ' +
    'left attached to a bad node (2021-07-11).',
  postmortems: ['2020-12-11-postgres-conn-surge', '2021-07-11-cascading-node-failures'],
  defaultScenario: '2020-12-11-postgres-conn-surge',
  mutating: true,
  params: remountParams,
  needs: {
    postgres: { connect: 'optional', target: postgresTarget },
    namespaces: (params) => [params.namespace],
  },
})
  .step({
    id: 'locate',
    title: 'Locate Postgres, its claim, its volume and the Linode it is attached to',
    explain:
      'Reads the deployment, the PersistentVolumeClaim its pods mount, the PersistentVolume and the Linode ' +
      'block storage volume behind it. Changes nothing. Stops here if any link of that chain is missing.',
    plan: (ctx) => locatePostgres(ctx),
  })
  .step({
    id: 'backup',
    title: 'Offer a verified backup before Postgres goes down',
    explain:
      'Dumps every database with pg_dump into --backup-directory, writes a sha256 beside each dump and reads it ' +
      'back with pg_restore --list: the backup nobody had on 2020-12-11. Answer skip to go on without it. When ' +
      'Postgres cannot be reached, says so and goes on (--backup require stops instead).',
    plan: (ctx) => planRemountBackup(ctx),
    verify: (ctx) => checkRemountBackup(ctx),
  })
  .step({
    id: 'take-down',
    title: 'Take Postgres down',
    explain:
      'strategy=scale scales the deployment to 0 (the replica count is remembered); strategy=recreate deletes ' +
      'the deployment, as on 2020-12-11. Then waits for its pods to go; a pod its kubelet cannot kill is left ' +
      'for the next step.',
    async plan({ params, facts, read }) {
      const { namespace, deployment } = params;
      const live = await read.kube.getDeployment(namespace, deployment);
      const current = live?.spec?.replicas ?? 0;
      const actions =
        live === undefined
          ? []
          : params.strategy === 'recreate'
            ? [deleteDeployment(namespace, deployment, current)]
            : current > 0
              ? [scale({ namespace, kind: 'Deployment', name: deployment }, current, 0)]
              : [];
      return {
        actions,
        notes: actions.length === 0 ? [`deployment ${namespace}/${deployment} is already down`] : [],
        waits: [
          podsGone({
            namespace,
            labelSelector: facts.selector,
            timeoutMs: 3 * MINUTE,
            whenStuck: 'continue',
          }),
        ],
      };
    },
    // Undo, if a later step fails: Postgres back on its volume (still attached if the detach never ran).
    compensate: (ctx) => restorePostgres(ctx),
  })
  .step({
    id: 'force-delete-stuck-pods',
    title: 'Force-delete Postgres pods stuck terminating',
    explain:
      'A pod whose kubelet cannot kill it stays Terminating for ever and keeps its volume. This removes it ' +
      'from the API (kubectl delete pod --force --grace-period=0). Only pods already terminating are touched.',
    async plan({ params, facts, read }) {
      const pods = await read.kube.listPods(params.namespace, facts.selector);
      const running = pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
      if (running.length > 0) {
        throw preconditionFailed(
          `Pod ${running.map((p) => p.metadata?.name).join(', ')} is running although Postgres was taken down.`,
          'Someone may have scaled Postgres back up: find out who before running this runbook again.',
        );
      }
      return {
        actions: pods.map((p) =>
          forceDeletePod(params.namespace, p.metadata?.name ?? '', p.metadata?.uid ?? '', p.spec?.nodeName),
        ),
        notes: pods.length === 0 ? ['no Postgres pod is left'] : [],
        waits: [
          podsGone({
            namespace: params.namespace,
            labelSelector: facts.selector,
            timeoutMs: MINUTE,
            whenStuck: 'fail',
          }),
          volumeReleased({
            persistentVolume: facts.persistentVolume,
            timeoutMs: 2 * MINUTE,
            whenStuck: 'continue',
          }),
        ],
      };
    },
  })
  .step({
    id: 'detach-volume',
    title: 'Detach the volume at Linode',
    explain:
      'When the CSI driver could not let go of the volume, Linode still shows it attached to the old node. ' +
      'This detaches it through the Linode API and waits until Linode reports it detached.',
    async plan({ params, facts, read }) {
      const volumeId = facts.volumeId;
      const volume = await read.linode.getVolume(volumeId);
      if (volume === undefined) throw preconditionFailed(`Linode volume ${volumeId} no longer exists.`);
      if (volume.linode_id === null)
        return { actions: [], notes: [`volume ${volume.label} is not attached to any Linode`] };
      const pods = await read.kube.listPods(params.namespace, facts.selector);
      if (pods.length > 0) {
        throw preconditionFailed(
          `Volume ${volume.label} is still attached and pod ${pods[0]?.metadata?.name ?? '?'} still exists; detaching it under a live database could corrupt it.`,
        );
      }
      const waits = [volumeDetached({ volumeId, volumeLabel: volume.label, timeoutMs: 5 * MINUTE })];
      // A detach already under way (this run, interrupted and resumed, or the CSI driver) is waited for,
      // not sent again.
      const [detaching] = await read.linode.recentEvents('volume', volumeId, 'volume_detach');
      if (detaching?.status === 'scheduled' || detaching?.status === 'started') {
        return {
          actions: [],
          waits,
          notes: [`a detach of ${volume.label} is already under way (event ${detaching.id})`],
        };
      }
      const linode = await read.linode.getInstance(volume.linode_id);
      return {
        actions: [detachVolume(volume, volume.linode_id, linode?.label ?? String(volume.linode_id))],
        waits,
      };
    },
  })
  .step({
    id: 'bring-up',
    title: 'Bring Postgres back',
    explain:
      'strategy=scale restores the replica count; strategy=recreate re-applies the deployment (from --manifest, ' +
      'or as it was read in the first step). The CSI driver then attaches the volume to the node the new pod ' +
      'lands on. Waits until the pods are Ready, showing attach and mount events while it waits.',
    async plan(ctx) {
      const { namespace, deployment } = ctx.params;
      const replicas = ctx.facts.replicas;
      return {
        ...(await restorePostgres(ctx)),
        waits: [deploymentReady({ namespace, name: deployment, replicas, timeoutMs: 5 * MINUTE })],
      };
    },
  })
  .step({
    id: 'verify',
    title: 'Check Postgres is Ready on its volume',
    explain:
      'Every Postgres pod is Ready, and Linode reports the volume attached to the Linode of the node the pod ' +
      'runs on. Changes nothing.',
    plan: () => Promise.resolve({ actions: [] }),
    verify: (ctx) => checkRemounted(ctx),
  });
