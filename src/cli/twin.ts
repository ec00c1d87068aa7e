// --dry-run: copy what the runbook can touch from the live cluster and Linode account into an
// in-process simulator (reads only), and hand back a target pointing at that twin. The runbook then
// runs against the twin as it would against live, so each step is planned against the state the
// earlier steps leave behind; live sees nothing but reads.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event as LinodeEvent, Linode, Volume } from '@linode/api-v4';
import type { QuietWorld } from '../engine/quiet-waits.js';
import type { AnyRunbook } from '../engine/runbook.js';
import { namespacesOf } from '../engine/needs.js';
import type { LinodeEventSeed, LinodeInstance, LinodeVolume } from '../sim/world.js';
import { type Target, connectTarget } from './target.js';
import { ASSUMED_ANNOTATION } from '../providers/kubernetes/assumed-secrets.js';

export interface Twin {
  readonly target: Target;
  readonly copied: {
    readonly kubernetes: number;
    readonly secrets: number;
    /** Secrets the kubeconfig may not list: assumed to exist as the workloads name them. */
    readonly assumedSecrets: number;
    readonly events: number;
    readonly linodes: number;
    readonly volumes: number;
    readonly linodeEvents: number;
  };
  /** Says when nothing in the twin can still change: a wait not met by then never will be. */
  readonly world: QuietWorld;
  stop(): Promise<void>;
}

const toInstance = (l: Linode): LinodeInstance => ({
  id: l.id,
  label: l.label,
  region: l.region,
  type: l.type ?? 'g6-standard-2',
  status: l.status,
  ipv4: l.ipv4,
  lke_cluster_id: l.lke_cluster_id,
});

const toVolume = (v: Volume): LinodeVolume => ({
  id: v.id,
  label: v.label,
  region: v.region,
  size: v.size,
  status: v.status,
  linode_id: v.linode_id,
  linode_label: v.linode_label,
  filesystem_path: v.filesystem_path,
});

/** Linode writes its times without a zone: they are UTC. */
const linodeTime = (text: string): number => Date.parse(/Z$|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);

const toEvent = (e: LinodeEvent): LinodeEventSeed => ({
  id: e.id,
  action: e.action,
  created: linodeTime(e.created),
  status: e.status as LinodeEventSeed['status'],
  percentComplete: e.percent_complete ?? 0,
  entity:
    e.entity === null ? null : { id: Number(e.entity.id), label: e.entity.label ?? '', type: e.entity.type },
  secondaryEntity:
    e.secondary_entity === null || e.secondary_entity === undefined
      ? null
      : {
          id: Number(e.secondary_entity.id),
          label: e.secondary_entity.label ?? '',
          type: e.secondary_entity.type,
        },
  username: e.username ?? '',
});

export async function startTwin(live: Target, runbook: AnyRunbook, params: unknown): Promise<Twin> {
  const kube = await live.read.kube.snapshot(namespacesOf(runbook, params));
  const linode = await live.read.linode.snapshot();
  const { startSimulator } = await import('../sim/server.js');
  const { twinLoader } = await import('../sim/twin.js');
  const { watchQuiet } = await import('../sim/quiet.js');
  const count = (kind: string): number => kube.filter((o) => o.kind === kind).length;
  const assumed = kube.filter(
    (o) =>
      o.kind === 'Secret' &&
      (o.metadata.annotations as Record<string, string> | undefined)?.[ASSUMED_ANNOTATION],
  ).length;
  const copied = {
    kubernetes: kube.length - assumed,
    secrets: count('Secret') - assumed,
    assumedSecrets: assumed,
    events: count('Event'),
    linodes: linode.instances.length,
    volumes: linode.volumes.length,
    linodeEvents: linode.events.length,
  };
  const sim = await startSimulator({
    world: twinLoader({
      name: `twin of ${live.cluster.context}`,
      region: linode.volumes[0]?.region ?? linode.instances[0]?.region,
      // Handed over: the loader lets go of each live object once the twin has its copy, so a big
      // cluster is never held twice.
      kube,
      linodeInstances: linode.instances.map(toInstance),
      linodeVolumes: linode.volumes.map(toVolume),
      linodeEvents: linode.events.map(toEvent),
      lkePools: linode.lkePools,
    }),
    speed: 'instant',
  });
  const quiet = watchQuiet(sim.world);
  const dir = mkdtempSync(join(tmpdir(), 'runbook-twin-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(), { mode: 0o600 });
  const target = await connectTarget({
    kubeconfig,
    env: { LINODE_API_URL: sim.linodeApiUrl, LINODE_TOKEN: sim.linodeToken },
  });
  return {
    target,
    copied,
    world: quiet,
    async stop() {
      quiet.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
