// core-services-restart: after a node restart that core services did not survive (2020-12-11: Calico,
// CoreDNS and the Linode CSI crash-looping), restart them in dependency order, one wave at a time,
// each healthy before the next: network, DNS, storage; then the stateful services; then the apps.
// What was done by hand in Lens that night, one service at a time "until they stabilised".
import { integer, choice, directoryPath, filePath } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import { type StepDefinition, defineSteps } from '../src/engine/typed-steps.js';
import type { BarePlan } from '../src/engine/step-facts.js';
import {
  type RestartFacts,
  type RestartParams,
  kindName,
  planWave,
  unhealthy,
} from './core-services-restart/restart.js';
import { teamManifests } from './core-services-restart/team-manifests.js';
import {
  LAYOUTS,
  STAGES,
  type Stage,
  clusterWaves,
  loadWaves,
  refText,
} from './core-services-restart/waves.js';

const EXPLAIN: Record<Stage, { title: string; why: string }> = {
  network: {
    title: 'Restart the network (CNI) and wait until it is Ready',
    why: 'Nothing else can talk without it',
  },
  dns: { title: 'Restart DNS and wait until it is Ready', why: 'Services find each other by name' },
  storage: {
    title: 'Restart the storage (CSI) driver and wait until it is Ready',
    why: 'Stateful pods cannot mount their volumes without it',
  },
  stateful: {
    title: 'Restart the stateful services and wait until they are Ready',
    why: 'The apps depend on them (Postgres, Redis)',
  },
  apps: {
    title: 'Restart the apps and wait until they are Ready',
    why: 'Last, once what they depend on is up',
  },
};

const wave = (stage: Stage): StepDefinition<RestartParams, RestartFacts, BarePlan> => ({
  id: `restart-${stage}`,
  title: EXPLAIN[stage].title,
  explain:
    `${EXPLAIN[stage].why}. Restarts the ${stage} wave's workloads that are not healthy (every one with ` +
    '--restart all) as kubectl rollout restart does, then waits until each has rolled out and every pod is ' +
    'Ready, saying which pod holds it back and why. A workload the cluster lost, or the Secret or ConfigMap a ' +
    'pod cannot start without, is re-created from --manifests <dir> when it is there (names shown, never ' +
    'values); anything else a restart cannot cure (a bad image) stops the run with what to fix.',
  plan: (ctx) => planWave(stage, ctx),
});

/** One step per wave, in order: network, DNS, storage, stateful, apps. */
const waves = STAGES.reduce(
  (steps, stage) => steps.step(wave(stage)),
  defineSteps<RestartParams, RestartFacts>(),
);

export const coreServicesRestart = defineRunbook({
  id: 'core-services-restart',
  title: 'Restart core services in dependency order, each wave healthy before the next',
  summary:
    'For a cluster whose core services did not come back after a node restart (2020-12-11): network, DNS ' +
    'and storage, then the stateful services, then the apps.',
  postmortems: ['2020-12-11-all-services-outage'],
  defaultScenario: '2020-12-11-all-services-outage',
  mutating: true,
  params: {
    waves: filePath({
      description:
        'YAML or JSON mapping network, dns, storage, stateful and apps to lists of namespace/kind/name (default: the LKE layout)',
    }),
    manifests: directoryPath({
      description:
        "the team's manifests (e.g. its kubernetes repository): a workload of a wave, or a Secret or ConfigMap a pod cannot start without, that the cluster lost is re-created from it",
    }),
    layout: choice({
      description:
        "without --waves: lke, the built-in waves (2020-12-11's cluster); cluster, LKE's core services then every workload of the team's namespaces, stateful ones (with a volume) first",
      choices: LAYOUTS,
      default: 'lke',
    }),
    restart: choice({
      description: 'unhealthy: only workloads not Ready; all: every workload of the waves',
      choices: ['unhealthy', 'all'] as const,
      default: 'unhealthy',
    }),
    timeout: integer({
      description: 'seconds to wait for each wave to be Ready',
      default: 300,
      min: 10,
      max: 3600,
    }),
  },
})
  .step({
    id: 'read-waves',
    title: 'Read the waves and the state of every workload in them',
    explain:
      "Loads the waves (--waves <file>; else --layout lke, the built-in one, or --layout cluster, LKE's core " +
      "services then the team's own workloads read from the cluster and --manifests) and shows each workload: ready pods, " +
      'and why it is not healthy. Changes nothing. A workload that does not exist stops the run at its wave, ' +
      "unless the team's manifests (--manifests <dir>) have it: then its wave re-creates it.",
    async plan({ params, read }) {
      // Read now so a folder it cannot read stops the run before any wave changes anything.
      const team = await teamManifests(params.manifests);
      const waves =
        params.waves === undefined && params.layout === 'cluster'
          ? await clusterWaves(read, team.workloads())
          : await loadWaves(params.waves);
      const notes = [
        `waves from ${params.waves ?? (params.layout === 'cluster' ? "LKE's core services and the cluster's own workloads" : 'the built-in LKE layout')}`,
        ...team
          .unreadable()
          .slice(0, 10)
          .map((why) => `not read from --manifests: ${why}`),
        ...(team.unreadable().length > 10
          ? [`not read from --manifests: ${String(team.unreadable().length - 10)} more`]
          : []),
      ];
      for (const stage of STAGES) {
        notes.push(`${stage}: ${waves[stage].map(refText).join(', ') || 'nothing'}`);
        for (const ref of waves[stage]) {
          const view = await read.kube.getWorkload(ref);
          const pods = view === undefined ? [] : await read.kube.listPods(ref.namespace, view.selector);
          const state = view === undefined ? 'does not exist' : (unhealthy(view, pods) ?? 'healthy');
          notes.push(`  ${kindName(ref)}: ${state}`);
        }
      }
      return { actions: [], notes, facts: { waves, startedAt: new Date().toISOString() } };
    },
  })
  .include(waves);
