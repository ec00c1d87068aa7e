// The CronJob controller: on the simulated clock, creates a CronJob's Job at each scheduled minute
// (the latest missed one only, as kube-controller-manager does), honours suspend and
// concurrencyPolicy, and keeps status.active, lastScheduleTime and the Job history limits.
import type { KubeObject } from '../../world.js';
import { controllerOf, isTerminating } from '../pods.js';
import { type CronSchedule, nextRun, parseCron } from '../cron.js';
import { isJobFinished } from './job.js';
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs, isDef, keyOf, splitKey } from './runtime.js';

interface CronJobSpec {
  schedule?: string;
  suspend?: boolean;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: unknown;
  };
}

const toRfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const succeededJob = (job: KubeObject): boolean =>
  (
    (job.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []
  ).some((c) => c.type === 'Complete' && c.status === 'True');

/** The latest scheduled minute in (afterMs, nowMs], if any. */
function latestDue(schedule: CronSchedule, afterMs: number, nowMs: number): number | undefined {
  let latest: number | undefined;
  let t = nextRun(schedule, afterMs);
  while (t !== undefined && t <= nowMs) {
    latest = t;
    t = nextRun(schedule, t);
  }
  return latest;
}

export function createCronJobController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const createJob = (cj: KubeObject, spec: CronJobSpec, scheduledMs: number): KubeObject => {
    const template = spec.jobTemplate ?? {};
    // Real Job names carry the scheduled time in minutes since the epoch.
    const name = `${cj.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
    const job = api.create(defs.job, cj.metadata.namespace, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...template.metadata?.labels },
        annotations: {
          ...template.metadata?.annotations,
          'batch.kubernetes.io/cronjob-scheduled-timestamp': toRfc3339(scheduledMs),
        },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: cj.metadata.name,
            uid: cj.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: structuredClone(template.spec ?? {}),
    });
    ctx.events.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${name}`, {
      component: 'cronjob-controller',
    });
    return job;
  };

  /** Deletes the oldest finished Jobs beyond the history limits. */
  const pruneHistory = (cj: KubeObject, spec: CronJobSpec, jobs: KubeObject[]): void => {
    const byAge = (a: KubeObject, b: KubeObject): number =>
      Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '');
    const finished = jobs.filter((j) => isJobFinished(j) && !isTerminating(j)).sort(byAge);
    const groups: Array<[KubeObject[], number]> = [
      [finished.filter(succeededJob), spec.successfulJobsHistoryLimit ?? 3],
      [finished.filter((j) => !succeededJob(j)), spec.failedJobsHistoryLimit ?? 1],
    ];
    for (const [list, limit] of groups)
      for (const job of list.slice(0, Math.max(0, list.length - limit))) {
        api.delete(defs.job, cj.metadata.namespace, job.metadata.name, { propagationPolicy: 'Background' });
        ctx.events.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`, {
          component: 'cronjob-controller',
        });
      }
  };

  const reconcile = (key: string): void => {
    const { namespace, name } = splitKey(key);
    const cj = api.store.get(defs.cronJob, namespace, name);
    if (cj === undefined || isTerminating(cj)) {
      wakeAt(key, undefined);
      return;
    }
    const spec = (cj.spec ?? {}) as CronJobSpec;
    let schedule: CronSchedule;
    try {
      schedule = parseCron(spec.schedule ?? '');
    } catch {
      wakeAt(key, undefined);
      return; // validation rejects a bad schedule on create; nothing to run
    }
    const nowMs = ctx.clock.nowMs();
    const owned = (): KubeObject[] =>
      api.store.view(defs.job, namespace).filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
    const lastScheduled = (cj.status as { lastScheduleTime?: string } | undefined)?.lastScheduleTime;
    const since = Date.parse(lastScheduled ?? cj.metadata.creationTimestamp ?? '');
    const due = spec.suspend === true ? undefined : latestDue(schedule, since, nowMs);
    let scheduledAt: number | undefined;

    if (due !== undefined) {
      const running = owned().filter((j) => !isJobFinished(j) && !isTerminating(j));
      if (spec.concurrencyPolicy === 'Forbid' && running.length > 0) {
        // Skipped, not lost: the run starts once the active Job finishes (lastScheduleTime stays).
        ctx.events.record(
          cj,
          'Normal',
          'JobAlreadyActive',
          'Not starting job because prior execution is running and concurrency policy is Forbid',
          {
            component: 'cronjob-controller',
          },
        );
      } else {
        if (spec.concurrencyPolicy === 'Replace')
          for (const job of running)
            api.delete(defs.job, namespace, job.metadata.name, { propagationPolicy: 'Background' });
        const jobName = `${name}-${Math.floor(due / 60_000)}`;
        if (api.store.get(defs.job, namespace, jobName) === undefined) createJob(cj, spec, due);
        scheduledAt = due;
      }
    }

    const jobs = owned();
    pruneHistory(cj, spec, jobs);
    const active = jobs.filter((j) => !isJobFinished(j) && !isTerminating(j));
    const lastSuccess = jobs
      .filter(succeededJob)
      .map((j) => Date.parse((j.status as { completionTime?: string }).completionTime ?? ''))
      .filter(Number.isFinite)
      .sort((a, b) => b - a)[0];
    api.mutate(
      defs.cronJob,
      namespace,
      name,
      (o) => {
        const s = (o.status ?? {}) as Record<string, unknown>;
        if (active.length > 0)
          s.active = active.map((j) => ({
            kind: 'Job',
            namespace: j.metadata.namespace,
            name: j.metadata.name,
            uid: j.metadata.uid,
            apiVersion: 'batch/v1',
            resourceVersion: j.metadata.resourceVersion,
          }));
        else delete s.active;
        if (scheduledAt !== undefined) s.lastScheduleTime = toRfc3339(scheduledAt);
        if (lastSuccess !== undefined) s.lastSuccessfulTime = toRfc3339(lastSuccess);
        o.status = s;
      },
      { subresource: 'status' },
    );

    const base = scheduledAt ?? (Number.isFinite(since) ? Math.max(since, nowMs) : nowMs);
    const next = spec.suspend === true ? undefined : nextRun(schedule, base);
    wakeAt(key, next);
  };

  /**
   * One wake-up per CronJob, at its next scheduled minute. It waits for the clock to reach it rather
   * than moving the clock there: under the instant clock a schedule that woke itself would race
   * simulated time forward for ever; this way a Job is created at each minute the world lives through.
   */
  const wakeups = new Map<string, { at: number; cancel: () => void }>();
  const wakeAt = (key: string, at: number | undefined): void => {
    const existing = wakeups.get(key);
    if (existing !== undefined && existing.at === at) return;
    existing?.cancel();
    wakeups.delete(key);
    if (at === undefined) return;
    const cancel = ctx.clock.whenReached(at, () => {
      wakeups.delete(key);
      queue.add(key);
    });
    wakeups.set(key, { at, cancel });
  };

  const queue = createWorkQueue(ctx, 'cronjob', reconcile);
  return {
    name: 'cronjob',
    onStoreEvent(event) {
      if (isDef(event, defs.cronJob)) queue.add(keyOf(event.object));
      else if (isDef(event, defs.job)) {
        const owner =
          controllerOf(event.object) ?? (event.previous ? controllerOf(event.previous) : undefined);
        if (owner?.kind === 'CronJob') queue.add(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
      }
    },
  };
}
