// One wave of core-services-restart: which of its workloads to restart (unhealthy ones, or all with
// --restart all; never twice in one run), what a restart cannot fix, and what to wait for.
import type { V1Pod } from '@kubernetes/client-node';
import { rolloutRestart } from '../../src/engine/action-builders.js';
import type { Action } from '../../src/engine/actions.js';
import { RunbookError, preconditionFailed } from '../../src/engine/errors.js';
import type { Readers, WorkloadRef, WorkloadView } from '../../src/engine/ports.js';
import type { Facts, PlanContext, StepPlan } from '../../src/engine/runbook.js';
import { podState } from '../../src/engine/wait-conditions.js';
import type { Wait } from '../../src/engine/waits.js';
import { type Stage, type Waves, refText } from './waves.js';

export interface RestartParams {
  waves: string | undefined;
  restart: 'unhealthy' | 'all';
  timeout: number;
}

export interface RestartFacts extends Facts {
  waves: Waves;
  /** When the run began (ISO): the restartedAt it writes, so a resumed run restarts nothing twice. */
  startedAt: string;
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

function notCured(pods: readonly V1Pod[]): string | undefined {
  for (const pod of pods)
    for (const status of pod.status?.containerStatuses ?? []) {
      const waiting = status.state?.waiting;
      if (waiting?.reason !== undefined && NOT_CURED_BY_RESTART.has(waiting.reason))
        return `pod ${pod.metadata?.name ?? '?'} is ${waiting.reason}${waiting.message === undefined ? '' : ` (${waiting.message})`}`;
    }
  return undefined;
}

export function need<K extends keyof RestartFacts>(facts: Partial<RestartFacts>, key: K): RestartFacts[K] {
  const value = facts[key];
  if (value === undefined)
    throw new RunbookError('internal', `fact "${String(key)}" was not found by an earlier step`);
  return value;
}

async function readOne(
  read: Readers,
  ref: WorkloadRef,
  stage: Stage,
): Promise<{ view: WorkloadView; pods: V1Pod[] }> {
  const view = await read.kube.getWorkload(ref);
  if (view === undefined) {
    throw preconditionFailed(
      `${kindName(ref)} of the ${stage} wave does not exist, so the waves after it cannot be made healthy.`,
      `Create it again (kubectl apply -f its manifest: on 2020-12-11 Postgres had been removed before the restart), ` +
        `or leave ${refText(ref)} out of a waves file (--waves); then run again: waves already healthy plan nothing.`,
    );
  }
  const pods = view.selector === '' ? [] : await read.kube.listPods(ref.namespace, view.selector);
  return { view, pods };
}

export async function planWave(
  stage: Stage,
  { params, facts, read }: PlanContext<RestartParams, RestartFacts>,
): Promise<StepPlan<RestartFacts>> {
  const refs = need(facts, 'waves')[stage];
  const startedAt = need(facts, 'startedAt');
  if (refs.length === 0) return { actions: [], notes: [`no workload in the ${stage} wave`] };
  const actions: Action[] = [];
  const notes: string[] = [];
  for (const ref of refs) {
    const { view, pods } = await readOne(read, ref, stage);
    const why = unhealthy(view, pods);
    if (view.restartedAt !== undefined && view.restartedAt >= startedAt) {
      notes.push(`${kindName(ref)} was already restarted by this run (${view.restartedAt})`);
      continue;
    }
    const blocked = notCured(pods);
    if (blocked !== undefined) {
      throw preconditionFailed(
        `A restart will not fix ${kindName(ref)}: ${blocked}.`,
        'Fix what it names (e.g. create the missing Secret: on 2020-12-11 the bot had lost its Sentry DSN), then run again: healthy waves plan nothing.',
      );
    }
    if (why === undefined && params.restart === 'unhealthy') {
      notes.push(`${kindName(ref)} is healthy (${view.ready}/${view.desired} ready): not restarted`);
      continue;
    }
    actions.push(
      rolloutRestart(ref, startedAt, why ?? `healthy, ${view.ready}/${view.desired} ready; --restart all`),
    );
  }
  const waits: Wait[] = refs.map((target) => ({
    kind: 'k8s.workload-ready',
    target,
    timeoutMs: params.timeout * 1000,
  }));
  return { actions, notes, waits };
}
