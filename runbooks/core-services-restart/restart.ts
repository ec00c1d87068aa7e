// One wave of core-services-restart: which of its workloads to restart (unhealthy ones, or all with
// --restart all; never twice in one run), what a restart cannot fix, and what to wait for.
import type { V1Pod } from '@kubernetes/client-node';
import {
  type Action,
  type Wait,
  apply,
  podState,
  rolloutRestart,
  workloadReady,
} from '../../src/engine/vocabulary/index.js';
import { preconditionFailed } from '../../src/engine/errors.js';
import type { Readers, WorkloadRef, WorkloadView } from '../../src/engine/ports.js';
import type { BarePlan } from '../../src/engine/step-facts.js';
import type { StepContext } from '../../src/engine/typed-steps.js';
import { type FoundManifest, type TeamManifests, missingConfig, teamManifests } from './team-manifests.js';
import { type Layout, type Stage, type Waves, refText } from './waves.js';

export interface RestartParams {
  waves: string | undefined;
  layout: Layout;
  manifests: string | undefined;
  restart: 'unhealthy' | 'all';
  timeout: number;
}

export interface RestartFacts {
  readonly waves: Waves;
  /** When the run began (ISO): the restartedAt it writes, so a resumed run restarts nothing twice. */
  readonly startedAt: string;
}

/** Container states a restart does not cure: the pod spec or its configuration is wrong. */
const NOT_CURED_BY_RESTART = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
]);

export const kindName = (r: WorkloadRef): string => `${r.kind.toLowerCase()} ${r.namespace}/${r.name}`;

const isReady = (pod: V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Why a workload needs a restart, or undefined when it is healthy. */
export function unhealthy(view: WorkloadView, pods: readonly V1Pod[]): string | undefined {
  const bad = pods.filter((p) => p.metadata?.deletionTimestamp === undefined && !isReady(p));
  if (view.ready >= view.desired && bad.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const pod of bad) counts.set(podState(pod), (counts.get(podState(pod)) ?? 0) + 1);
  const states = [...counts].map(([state, n]) => `${n} ${state}`);
  return `${view.ready}/${view.desired} ready${states.length === 0 ? '' : `; ${states.join(', ')}`}`;
}

interface NotCured {
  readonly pod: V1Pod;
  readonly reason: string;
  readonly message: string | undefined;
}

function notCured(pods: readonly V1Pod[]): NotCured | undefined {
  for (const pod of pods)
    for (const status of pod.status?.containerStatuses ?? []) {
      const waiting = status.state?.waiting;
      if (waiting?.reason !== undefined && NOT_CURED_BY_RESTART.has(waiting.reason))
        return { pod, reason: waiting.reason, message: waiting.message };
    }
  return undefined;
}

const notCuredText = (n: NotCured): string =>
  `pod ${n.pod.metadata?.name ?? '?'} is ${n.reason}${n.message === undefined ? '' : ` (${n.message})`}`;

type Found = { view: WorkloadView; pods: V1Pod[] } | { lost: FoundManifest };

/** The files of --manifests that could not be read, which may have held what was looked for. */
function unreadableNote(team: TeamManifests): string {
  const files = team.unreadable();
  if (files.length === 0) return '';
  const shown = files.slice(0, 3).join('; ');
  return ` It may be in what --manifests could not read: ${shown}${files.length > 3 ? `; and ${String(files.length - 3)} more` : ''}.`;
}

async function readOne(read: Readers, ref: WorkloadRef, stage: Stage, team: TeamManifests): Promise<Found> {
  const view = await read.kube.getWorkload(ref);
  if (view === undefined) {
    const lost = team.find(ref.kind, ref.namespace, ref.name);
    if (lost !== undefined) return { lost };
    throw preconditionFailed(
      `${kindName(ref)} of the ${stage} wave does not exist, so the waves after it cannot be made healthy.${unreadableNote(team)}`,
      `Give the team's manifests with --manifests <dir> to re-create it (on 2020-12-11 Postgres had been ` +
        `removed before the restart), or leave ${refText(ref)} out of a waves file (--waves); then run again: ` +
        'waves already healthy plan nothing.',
    );
  }
  const pods = view.selector === '' ? [] : await read.kube.listPods(ref.namespace, view.selector);
  return { view, pods };
}

export async function planWave(
  stage: Stage,
  { params, facts, read }: StepContext<RestartParams, RestartFacts>,
): Promise<BarePlan> {
  const refs = facts.waves[stage];
  const { startedAt } = facts;
  if (refs.length === 0) return { actions: [], notes: [`no workload in the ${stage} wave`] };
  const actions: Action[] = [];
  const notes: string[] = [];
  const team = await teamManifests(params.manifests);
  for (const ref of refs) {
    const found = await readOne(read, ref, stage, team);
    if ('lost' in found) {
      actions.push(apply(found.lost.manifest, found.lost.file));
      notes.push(`${kindName(ref)} does not exist: re-created from ${found.lost.file}`);
      continue;
    }
    const { view, pods } = found;
    const why = unhealthy(view, pods);
    if (view.restartedAt !== undefined && view.restartedAt >= startedAt) {
      notes.push(`${kindName(ref)} was already restarted by this run (${view.restartedAt})`);
      continue;
    }
    const blocked = notCured(pods);
    if (blocked !== undefined) {
      const missing = missingConfig(blocked.message);
      const exists =
        missing !== undefined && (await read.kube.configExists(missing.kind, ref.namespace, missing.name));
      const found = missing === undefined ? undefined : team.find(missing.kind, ref.namespace, missing.name);
      if (missing !== undefined && exists) {
        notes.push(`${kindName(ref)}: ${missing.kind.toLowerCase()} ${missing.name} exists now`);
      } else if (missing !== undefined && found !== undefined) {
        actions.push(apply(found.manifest, found.file));
        notes.push(
          `${kindName(ref)} needs ${missing.kind.toLowerCase()} ${missing.name}: re-created from ${found.file}`,
        );
      } else {
        throw preconditionFailed(
          `A restart will not fix ${kindName(ref)}: ${notCuredText(blocked)}.${missing === undefined ? '' : unreadableNote(team)}`,
          'Fix what it names (e.g. create the missing Secret, or give the folder that has it with --manifests: on ' +
            '2020-12-11 the bot had lost its Sentry DSN), then run again: healthy waves plan nothing.',
        );
      }
    } else if (why === undefined && params.restart === 'unhealthy') {
      notes.push(`${kindName(ref)} is healthy (${view.ready}/${view.desired} ready): not restarted`);
      continue;
    }
    actions.push(
      rolloutRestart(ref, startedAt, why ?? `healthy, ${view.ready}/${view.desired} ready; --restart all`),
    );
  }
  const waits: Wait[] = refs.map((target) => workloadReady({ target, timeoutMs: params.timeout * 1000 }));
  return { actions, notes, waits };
}
