// The Job controller: runs a Job's pods to its completion count and marks it Complete, so a
// CronJob's runs show up as they do on a real cluster (Jobs, then Completed pods).
import type { KubeObject } from '../../world.js';
import { controllerOf, isTerminating, podPhase } from '../pods.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

/**
 * The simulated kubelet runs containers but never lets one exit, so a Job's pod succeeds after
 * this much simulated time Running: the container "did its work" and exited 0.
 */
export const JOB_POD_RUN_MS = 10_000;

interface Template {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

interface JobSpec {
  completions?: number;
  parallelism?: number;
  template?: Template;
}

const hasCondition = (job: KubeObject, type: string): boolean =>
  (
    (job.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []
  ).some((c) => c.type === type && c.status === 'True');

export const isJobFinished = (job: KubeObject): boolean =>
  hasCondition(job, 'Complete') || hasCondition(job, 'Failed');

/** When the pod's containers started running (ms), if they have. */
function runningSince(pod: KubeObject): number | undefined {
  const statuses =
    (
      pod.status as
        { containerStatuses?: Array<{ state?: { running?: { startedAt?: string } } }> } | undefined
    )?.containerStatuses ?? [];
  const starts = statuses.map((c) => Date.parse(c.state?.running?.startedAt ?? ''));
  if (starts.length === 0 || starts.some((t) => !Number.isFinite(t))) return undefined;
  return Math.max(...starts);
}

export function createJobController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  /** Lets a pod that has run long enough exit 0, as its container would. */
  const finishPod = (pod: KubeObject): void => {
    const finishedAt = api.now();
    api.mutate(
      defs.pod,
      pod.metadata.namespace,
      pod.metadata.name,
      (o) => {
        const s = (o.status ?? {}) as Record<string, unknown>;
        s.phase = 'Succeeded';
        s.conditions = ((s.conditions ?? []) as Array<Record<string, unknown>>).map((c) =>
          c.type === 'Ready' || c.type === 'ContainersReady'
            ? { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: finishedAt }
            : c,
        );
        s.containerStatuses = ((s.containerStatuses ?? []) as Array<Record<string, unknown>>).map((c) => {
          const running = (c.state as { running?: { startedAt?: string } } | undefined)?.running;
          return {
            ...c,
            ready: false,
            started: false,
            state: {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: running?.startedAt ?? finishedAt,
                finishedAt,
                containerID: c.containerID,
              },
            },
          };
        });
        o.status = s;
      },
      { subresource: 'status' },
    );
  };

  const createPod = (job: KubeObject, template: Template): void => {
    const name = job.metadata.name;
    const pod = api.create(defs.pod, job.metadata.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `${name}-${ctx.ids.suffix()}`,
        generateName: `${name}-`,
        namespace: job.metadata.namespace,
        labels: { ...template.metadata?.labels },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name,
            uid: job.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: structuredClone(template.spec ?? {}),
    });
    ctx.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, {
      component: 'job-controller',
    });
  };

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const job = api.store.get(defs.job, namespace, name);
    if (job === undefined || isTerminating(job) || isJobFinished(job)) return;
    const spec = (job.spec ?? {}) as JobSpec;
    const completions = spec.completions ?? 1;
    const parallelism = spec.parallelism ?? 1;
    const nowMs = ctx.clock.nowMs();

    const owned = () =>
      api.store.view(defs.pod, namespace).filter((p) => controllerOf(p)?.uid === job.metadata.uid);
    for (const pod of owned()) {
      if (podPhase(pod) !== 'Running' || isTerminating(pod)) continue;
      const since = runningSince(pod);
      if (since === undefined) continue;
      if (nowMs - since >= JOB_POD_RUN_MS) finishPod(pod);
      else queue.addAfter(key, JOB_POD_RUN_MS - (nowMs - since));
    }

    let pods = owned();
    const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
    const isActive = (p: KubeObject): boolean =>
      !isTerminating(p) && podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed';
    const active = pods.filter(isActive).length;
    const wanted = Math.min(parallelism, completions - succeeded) - active;
    for (let i = 0; i < wanted; i += 1) createPod(job, spec.template ?? {});
    pods = owned();
    const nowActive = pods.filter(isActive);
    const done = succeeded >= completions;
    const now = api.now();

    api.mutate(
      defs.job,
      namespace,
      name,
      (o) => {
        const s = (o.status ?? {}) as Record<string, unknown>;
        s.startTime ??= now;
        if (nowActive.length > 0) s.active = nowActive.length;
        else delete s.active;
        if (succeeded > 0) s.succeeded = succeeded;
        s.ready = nowActive.filter((p) =>
          (
            (p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ??
            []
          ).some((c) => c.type === 'Ready' && c.status === 'True'),
        ).length;
        s.terminating = 0;
        s.uncountedTerminatedPods = {};
        if (done) {
          s.completionTime = now;
          const condition = (type: string, reason: string, message: string): Record<string, unknown> => ({
            type,
            status: 'True',
            lastProbeTime: now,
            lastTransitionTime: now,
            reason,
            message,
          });
          s.conditions = [
            condition(
              'SuccessCriteriaMet',
              'CompletionsReached',
              'Reached expected number of succeeded pods',
            ),
            condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods'),
          ];
        }
        o.status = s;
      },
      { subresource: 'status' },
    );
    if (done) ctx.events.record(job, 'Normal', 'Completed', 'Job completed', { component: 'job-controller' });
  };

  const queue = createWorkQueue(ctx, 'job', reconcile);
  return {
    name: 'job',
    onStoreEvent(event) {
      if (isDef(event, defs.job)) queue.add(keyOf(event.object));
      else if (isDef(event, defs.pod)) {
        const owner =
          controllerOf(event.object) ?? (event.previous ? controllerOf(event.previous) : undefined);
        if (owner?.kind === 'Job') queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
      }
    },
  };
}
