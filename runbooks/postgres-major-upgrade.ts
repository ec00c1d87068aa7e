// postgres-major-upgrade: Postgres to a new major version by a logical dump and restore onto a fresh
// Linode volume. The old volume is never written to and never deleted: until the operator has checked
// the new database, going back is pointing the deployment at it again (this runbook's undo). Written
// only with the public authoring surface, as a team's own runbook would be.
import {
  type ParamsOf,
  backupDatabases,
  createPvc,
  createVolume,
  defineRunbook,
  deleteDeployment,
  apply,
  integer,
  k8sName,
  linodeStaticPv,
  manualStep,
  podsGone,
  restoreBackup,
  restoreMatches,
  preconditionFailed,
  scale,
  serverVersion,
  text,
  volumeActive,
  workloadReady,
  writableDirectory,
} from '../src/authoring.js';
import { majorOfImage, needPostgres, newNames, readCurrent } from './postgres-major-upgrade/current.js';
import { pointAt, runningOn, sideDeployment } from './postgres-major-upgrade/manifests.js';
import { postgresTarget } from './postgres-target-params.js';

const upgradeParams = {
  namespace: k8sName({
    description: 'namespace of the Postgres deployment',
    default: 'default',
    label: true,
  }),
  deployment: k8sName({ description: 'the Postgres deployment to upgrade', default: 'postgres' }),
  image: text({
    description: 'the new Postgres image, its tag starting with the major version (e.g. postgres:16)',
    pattern: /^[a-z0-9][a-z0-9./_-]*(:\d+)?(\/[a-z0-9._-]+)*:\d+[A-Za-z0-9._-]*$/,
    expected: 'an image with a version tag such as postgres:16 or postgres:16.4-alpine',
    placeholder: '<image>',
    required: true,
  }),
  databases: text({
    description: 'comma-separated databases to carry over (default: every database but the templates)',
    pattern: /^[A-Za-z0-9_$-]+(,[A-Za-z0-9_$-]+)*$/,
    expected: 'a comma-separated list of database names',
    placeholder: '<db,db>',
  }),
  directory: writableDirectory({
    description: 'where the backup goes (the restore reads it from there)',
    default: '.',
  }),
  size: integer({
    description: 'GiB of the new volume (default: the old volume’s size)',
    min: 10,
    max: 10240,
  }),
  timeout: integer({
    description: 'seconds to wait for the new volume, each deployment, and the new version',
    default: 600,
    min: 10,
    max: 7200,
  }),
};

export type UpgradeParams = ParamsOf<typeof upgradeParams>;

const timeoutMs = (params: UpgradeParams): number => params.timeout * 1000;

export const postgresMajorUpgrade = defineRunbook({
  id: 'postgres-major-upgrade',
  title: 'Upgrade Postgres to a new major version: dump, restore onto a fresh volume, switch, keep the old',
  summary:
    'A major-version upgrade by pg_dumpall/pg_dump and pg_restore onto a new Linode volume, the row counts ' +
    'compared, the deployment switched to the new image and claim; the old volume kept for the way back.',
  postmortems: [],
  defaultScenario: 'healthy',
  mutating: true,
  params: upgradeParams,
  needs: {
    postgres: { connect: 'required', target: postgresTarget },
    namespaces: (params) => [params.namespace],
  },
})
  .step({
    id: 'read-current',
    title:
      'Read the Postgres deployment, its claim, PersistentVolume and Linode volume, and the server version',
    explain:
      'Finds the data claim the Postgres container mounts, the PersistentVolume bound to it and the Linode volume ' +
      'behind that, and asks the server its version. Refuses a downgrade. Changes nothing.',
    async plan({ params, read }) {
      const current = await readCurrent(read, params.namespace, params.deployment);
      const major = majorOfImage(params.image);
      if (major < current.fromMajor)
        throw preconditionFailed(
          `--image ${params.image} is Postgres ${major}, older than the server's ${current.fromVersion}: a dump does not go back a major version.`,
        );
      const postgres = needPostgres(read);
      const databases =
        params.databases === undefined ? await postgres.databases() : params.databases.split(',');
      const names = newNames(current, major);
      const stamp = new Date()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      return {
        actions: [],
        notes: [
          `server ${current.fromVersion} in deployment ${current.namespace}/${current.deployment} (${current.oldImage}, ${current.replicas} replica(s))`,
          `data on claim ${current.oldClaim} -> PersistentVolume ${current.oldPv} -> Linode volume ${current.oldVolume.id} (${current.oldVolume.label}, ${current.oldVolume.size} GiB, ${current.region})`,
          `to Postgres ${major} (${params.image}) on a new volume ${names.volumeLabel}, claim ${names.claim}; databases ${databases.join(', ')}`,
          ...(major === current.fromMajor
            ? [
                `the server is already ${current.fromMajor}: a dump and restore onto a fresh volume, same major version`,
              ]
            : []),
        ],
        // stamp: the backup's name, shared by its files (the restore reads exactly these); server: the
        // run's Postgres, password shown as ***, the source of the backup and of the comparison.
        facts: { current, names, major, databases, stamp, server: postgres.identity().url },
      };
    },
  })
  .step({
    id: 'stop-writes',
    title: 'Stop the writes: the site in maintenance mode',
    explain:
      'Outside the tool: whatever is written after the backup is not in the new database, and the restore’s row ' +
      'counts would not match. Skipped in a --yes run (journaled as skipped).',
    plan: ({ params }) =>
      Promise.resolve({
        actions: [
          manualStep({
            title: 'stop the writes to Postgres',
            instructions: [
              'Put the site into maintenance mode, or scale to 0 the apps that write to Postgres',
              `(in ${params.namespace}: kubectl -n ${params.namespace} scale deployment/<app> --replicas=0).`,
            ],
            skippable: true,
          }),
        ],
      }),
  })
  .step({
    id: 'backup',
    title: 'Back up the roles and the databases (pg_dumpall --globals-only, pg_dump), verified',
    explain:
      'The roles with their passwords (private) and each database in custom format into --directory, each with ' +
      'a .sha256, read back with pg_restore --list. The restore later reads exactly these files.',
    plan: ({ params, facts }) =>
      Promise.resolve({
        actions: [
          backupDatabases(facts.server, {
            databases: facts.databases,
            directory: params.directory,
            stamp: facts.stamp,
            verify: 'list',
            globals: true,
          }),
        ],
      }),
  })
  .step({
    id: 'new-volume',
    title: 'Create a new Linode volume for the new version',
    explain:
      'A fresh, empty volume in the old one’s region, as large as the old one (or --size GiB). The old volume is ' +
      'left as it is. A volume of that label made by an earlier run is used again.',
    async plan({ params, facts, read }) {
      const current = facts.current;
      const { volumeLabel } = facts.names;
      const size = params.size ?? current.oldVolume.size;
      const wait = volumeActive({ volumeLabel, timeoutMs: timeoutMs(params) });
      if ((await read.linode.findVolumes(volumeLabel)).length > 0)
        return { actions: [], waits: [wait], notes: [`volume ${volumeLabel} exists already`] };
      return { actions: [createVolume({ label: volumeLabel, size, region: current.region })], waits: [wait] };
    },
  })
  .step({
    id: 'new-claim',
    title: 'Give the new volume a PersistentVolume and a claim',
    explain:
      'A static PersistentVolume over the new Linode volume (reclaim policy Retain), set aside for a new claim ' +
      'that binds only to it. Nothing mounts it yet.',
    async plan({ facts, read }) {
      const current = facts.current;
      const names = facts.names;
      const [volume] = await read.linode.findVolumes(names.volumeLabel);
      if (volume === undefined) throw preconditionFailed(`volume ${names.volumeLabel} was not found`);
      const claim = { namespace: current.namespace, name: names.claim };
      const actions = [];
      if ((await read.kube.getPersistentVolume(names.pv)) === undefined)
        actions.push(linodeStaticPv(volume, { name: names.pv, storageClass: current.storageClass, claim }));
      if ((await read.kube.getPersistentVolumeClaim(claim.namespace, claim.name)) === undefined)
        actions.push(
          createPvc({
            ...claim,
            storageClass: current.storageClass,
            size: `${volume.size}Gi`,
            volumeName: names.pv,
          }),
        );
      return { actions };
    },
  })
  .step({
    id: 'start-new-server',
    title: 'Start the new version on the new claim, beside the old server',
    explain:
      'A side deployment, a copy of the Postgres pods with --image on the new claim under labels of its own (no ' +
      'Service sends it traffic). The new server starts empty; the old one keeps serving.',
    async plan({ params, facts, read }) {
      const current = facts.current;
      const names = facts.names;
      const wait = workloadReady({
        target: { kind: 'Deployment', namespace: current.namespace, name: names.sideDeployment },
        timeoutMs: timeoutMs(params),
      });
      if ((await read.kube.getDeployment(current.namespace, names.sideDeployment)) !== undefined)
        return { actions: [], waits: [wait], notes: [`deployment ${names.sideDeployment} exists already`] };
      const found = await read.kube.getDeployment(current.namespace, current.deployment);
      if (found === undefined) throw preconditionFailed(`deployment ${current.deployment} is gone`);
      const manifest = sideDeployment(found, current, names.sideDeployment, params.image, names.claim);
      return {
        actions: [apply(manifest, `${names.sideDeployment}.yaml`)],
        waits: [wait],
        notes: [
          `${names.sideDeployment}.yaml: the pods of deployment ${current.deployment} with image ${params.image}, ` +
            `volume ${current.dataVolume} on claim ${names.claim}, labelled app=${names.sideDeployment}`,
        ],
      };
    },
  })
  .step({
    id: 'restore',
    title: 'Restore the backup into the new server, row counts compared with the old one',
    explain:
      'The roles first, then each database with pg_restore --create, through a port-forward to the side ' +
      'deployment. Every table’s row count is then compared with the old server’s; one that differs stops the run.',
    plan: ({ params, facts }) =>
      Promise.resolve({
        actions: [
          restoreBackup(facts.server, {
            target: {
              namespace: facts.current.namespace,
              deployment: facts.names.sideDeployment,
            },
            directory: params.directory,
            stamp: facts.stamp,
            databases: facts.databases,
            globals: true,
          }),
        ],
      }),
    // The restore itself stops on a table that differs; this shows the counts that matched.
    verify: ({ facts, read }) =>
      restoreMatches(
        needPostgres(read),
        { namespace: facts.current.namespace, deployment: facts.names.sideDeployment },
        facts.databases,
      ),
  })
  .step({
    id: 'stop-both',
    title: 'Stop both servers: remove the side deployment, scale Postgres to 0',
    explain:
      'The side deployment has done its work (the new volume holds the restored data) and is deleted; the old ' +
      'server is scaled to 0 so no client writes to it any more. Waits until their pods are gone and the volumes free.',
    async plan({ params, facts, read }) {
      const current = facts.current;
      const names = facts.names;
      const actions = [];
      if ((await read.kube.getDeployment(current.namespace, names.sideDeployment)) !== undefined)
        actions.push(deleteDeployment(current.namespace, names.sideDeployment, 1));
      const found = await read.kube.getDeployment(current.namespace, current.deployment);
      const replicas = found?.spec?.replicas ?? 0;
      const target = { namespace: current.namespace, kind: 'Deployment', name: current.deployment } as const;
      if (replicas > 0) actions.push(scale(target, replicas, 0));
      const gone = (labelSelector: string) =>
        podsGone({
          namespace: current.namespace,
          labelSelector,
          timeoutMs: timeoutMs(params),
          whenStuck: 'fail',
        });
      return { actions, waits: [gone(`app=${names.sideDeployment}`), gone(current.selector)] };
    },
  })
  .step({
    id: 'switch',
    title: 'Point Postgres at the new claim and the new image, and scale it back up',
    explain:
      'Sets the deployment’s Postgres container to --image and its data volume to the new claim (server-side ' +
      'apply of those two fields only), then restores its replicas and waits until it is Ready. Undo: the old ' +
      'image on the old claim, which holds the old data untouched.',
    async plan({ params, facts, read }) {
      const current = facts.current;
      const names = facts.names;
      const found = await read.kube.getDeployment(current.namespace, current.deployment);
      const now = runningOn(found, current);
      const actions = [];
      const notes = [];
      if (now.image !== params.image || now.claim !== names.claim) {
        const change = pointAt(current, params.image, names.claim);
        actions.push(apply(change.manifest, change.source));
        notes.push(change.says);
      }
      const replicas = found?.spec?.replicas ?? 0;
      if (replicas !== current.replicas)
        actions.push(
          scale(
            { namespace: current.namespace, kind: 'Deployment', name: current.deployment },
            replicas,
            current.replicas,
          ),
        );
      const target = { kind: 'Deployment', namespace: current.namespace, name: current.deployment } as const;
      return { actions, notes, waits: [workloadReady({ target, timeoutMs: timeoutMs(params) })] };
    },
    async compensate({ facts, read }) {
      const current = facts.current;
      const found = await read.kube.getDeployment(current.namespace, current.deployment);
      const now = runningOn(found, current);
      const back = pointAt(current, current.oldImage, current.oldClaim);
      const moved = now.image !== current.oldImage || now.claim !== current.oldClaim;
      return {
        actions: moved ? [apply(back.manifest, back.source)] : [],
        notes: [
          back.says,
          `the old claim ${current.oldClaim} (Linode volume ${current.oldVolume.label}) holds the data as it was before the backup`,
        ],
      };
    },
  })
  .step({
    id: 'new-version',
    title: 'Wait until the server reports the new major version',
    explain:
      'Asks the server behind the deployment its version (server_version_num) until it reports the major version ' +
      'of --image, within --timeout. If it never does, the run stops and offers the undo of the switch. (Its ' +
      'simulator test plays 15 -> 15, the only PostgreSQL these machines install, and proves this bound with ' +
      'postgres:16.)',
    plan: ({ params, facts }) =>
      Promise.resolve({
        actions: [],
        waits: [
          serverVersion({
            server: facts.server,
            major: facts.major,
            timeoutMs: timeoutMs(params),
          }),
        ],
      }),
  })
  .step({
    id: 'confirm',
    title: 'Confirm the site works on the new database; the old volume is kept',
    explain:
      'Outside the tool: check the site reads and writes, then end maintenance mode. Nothing deletes the old ' +
      'volume: it stays, unattached, until you release it by hand. Skipped in a --yes run (journaled as skipped).',
    plan: ({ params, facts }) => {
      const current = facts.current;
      return Promise.resolve({
        actions: [
          manualStep({
            title: 'check the site works on the new database, then end maintenance mode',
            instructions: [
              `Log in, load a page that reads and save something that writes, against Postgres ${facts.major} (${params.image}).`,
              `If it is not right: kubectl -n ${current.namespace} set image deployment/${current.deployment} ${current.container}=${current.oldImage}`,
              `and point volume ${current.dataVolume} back at claim ${current.oldClaim} (the old data, untouched).`,
            ],
            skippable: true,
          }),
        ],
        notes: [
          `kept: claim ${current.oldClaim}, PersistentVolume ${current.oldPv}, Linode volume ${current.oldVolume.id} (${current.oldVolume.label}).`,
          `Once sure, release them by hand: kubectl -n ${current.namespace} delete pvc/${current.oldClaim}; then the volume at Linode.`,
        ],
      });
    },
  });
