// Alert intake of `runbook serve`: each firing alert's route and parameters (as `for-alert` finds
// them), folded so a repeat within the window starts nothing; at most one dry run per key (runbook and
// its filled parameters) at a time and `concurrency` in all; unrouted names posted once an hour each.
import { answer } from '../cli/alerts/answer.js';
import type { Alert, AlertGroup } from '../cli/alerts/payload.js';
import { type SourcedRoute, routeFor } from '../cli/alerts/routes.js';
import { fillTemplate } from '../cli/alerts/template.js';
import type { AnyRunbook } from '../engine/runbook.js';
import type { DryRunResult } from './dry-run.js';
import type { ServeLog } from './log.js';
import { firingPost, resolvedPost, unfilledPost, unroutedPost } from './post.js';

export interface IntakeOptions {
  readonly routes: readonly SourcedRoute[];
  /** The runbooks serve loaded: the built-in ones and the team's (from its runbooks folder). */
  readonly findRunbook: (id: string) => AnyRunbook | undefined;
  readonly dryRun: (runbook: AnyRunbook, given: Record<string, string>) => Promise<DryRunResult>;
  readonly post: (text: string) => void;
  readonly log: ServeLog;
  readonly foldMs: number;
  readonly unroutedMs: number;
  readonly concurrency: number;
  readonly now: () => number;
}

interface Job {
  readonly key: string;
  readonly run: () => Promise<void>;
}

export interface Intake {
  accept(group: AlertGroup): { alerts: number };
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
  readonly counts: { dryRuns: number; folded: number; posts: number };
}

function givenFor(route: SourcedRoute, alert: Alert): Record<string, string> {
  const given: Record<string, string> = {};
  for (const [param, template] of Object.entries(route.params ?? {})) {
    const filled = fillTemplate(template, alert.labels);
    if (filled.ok) given[param] = filled.value;
  }
  return given;
}

export function createIntake(options: IntakeOptions): Intake {
  const lastStarted = new Map<string, number>();
  const posted = new Set<string>();
  /** Resolved while its dry run was queued or running: followed up once that post is out. */
  const resolvedEarly = new Map<string, Alert>();
  const unroutedAt = new Map<string, number>();
  const running = new Set<string>();
  const queue: Job[] = [];
  let active = 0;
  let waiters: Array<() => void> = [];
  const counts = { dryRuns: 0, folded: 0, posts: 0 };
  const post = (text: string): void => {
    counts.posts++;
    options.post(text);
  };

  function pump(): void {
    while (active < options.concurrency) {
      const index = queue.findIndex((job) => !running.has(job.key));
      if (index < 0) break;
      const [job] = queue.splice(index, 1);
      if (job === undefined) break;
      active++;
      running.add(job.key);
      void job.run().finally(() => {
        active--;
        running.delete(job.key);
        pump();
      });
    }
    if (active === 0 && queue.length === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  }

  function firing(alert: Alert, route: SourcedRoute | undefined): void {
    const name = alert.labels.alertname ?? '';
    const result = answer(alert, route);
    if (result.kind === 'unrouted' || result.kind !== 'command') {
      const last = unroutedAt.get(name);
      if (last !== undefined && options.now() - last < options.unroutedMs) return;
      unroutedAt.set(name, options.now());
      options.log('unrouted', { alert: name, kind: result.kind });
      post(result.kind === 'unrouted' ? unroutedPost(alert) : unfilledPost(alert, result.message));
      return;
    }
    const key = result.command;
    const last = lastStarted.get(key);
    if (last !== undefined && options.now() - last < options.foldMs) {
      counts.folded++;
      return;
    }
    const runbook = options.findRunbook(result.route.runbook);
    if (runbook === undefined) {
      // Only a runbook serve did not load (its file failed to load at start, or came after) is not
      // dry-run: there is no code to plan with; a team's loaded runbook is dry-run like a built-in one.
      const said = unroutedAt.get(name);
      if (said !== undefined && options.now() - said < options.unroutedMs) return;
      unroutedAt.set(name, options.now());
      options.log('not-dry-run', { alert: name, runbook: result.route.runbook });
      post(
        unfilledPost(
          alert,
          `its route names ${result.route.runbook}, which runbook serve did not load (neither built-in nor in the team's runbooks folder at its start, see its stderr), so it has nothing to dry-run: run \`${key} --dry-run\` by hand.`,
        ),
      );
      return;
    }
    lastStarted.set(key, options.now());
    queue.push({
      key,
      run: async () => {
        counts.dryRuns++;
        options.log('dry-run', { alert: name, runbook: runbook.id, command: key });
        const outcome = await options.dryRun(runbook, givenFor(result.route, alert));
        options.log('dry-run-done', {
          runbook: runbook.id,
          command: key,
          changes: outcome.entries.length,
          ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
        });
        posted.add(key);
        post(firingPost(alert, runbook.id, key, outcome));
        const early = resolvedEarly.get(key);
        if (early !== undefined) {
          resolvedEarly.delete(key);
          followUp(early, key, runbook.id);
        }
      },
    });
  }

  function resolved(alert: Alert, route: SourcedRoute | undefined): void {
    const result = answer(alert, route);
    if (result.kind !== 'command') return;
    const waiting = running.has(result.command) || queue.some((job) => job.key === result.command);
    if (waiting) {
      resolvedEarly.set(result.command, alert);
      return;
    }
    if (posted.has(result.command)) followUp(alert, result.command, result.route.runbook);
  }

  function followUp(alert: Alert, key: string, runbook: string): void {
    posted.delete(key);
    lastStarted.delete(key);
    options.log('resolved', { alert: alert.labels.alertname ?? '', command: key });
    post(resolvedPost(alert, runbook));
  }

  return {
    counts,
    accept(group) {
      for (const alert of group.alerts) {
        const route = routeFor(options.routes, alert.labels.alertname ?? '');
        if (alert.status === 'firing') firing(alert, route);
        else resolved(alert, route);
      }
      pump();
      return { alerts: group.alerts.length };
    },
    idle() {
      if (active === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
