// The log of one run of one container, derived from what the pod's status says happened to it
// (started, crashed, OOM-killed) and from the Postgres saturations it lived through; and the
// kubelet's refusals (waiting to start, no previous run) in its own words.
import type { KubeObject } from '../../world.js';
import { errors } from '../errors.js';
import { matchesLabels } from '../selectors.js';
import {
  clientRefused,
  errorLines,
  oomLines,
  programOf,
  refusedConnection,
  startLines,
  type LogLine,
} from './programs.js';
import type { Saturation } from './saturation.js';

interface ContainerSpec {
  name: string;
  image?: string;
  ports?: Array<{ containerPort?: number }>;
  command?: string[];
  args?: string[];
}

interface Terminated {
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  exitCode?: number;
}

interface ContainerStatus {
  name: string;
  state?: { running?: { startedAt?: string }; waiting?: { reason?: string }; terminated?: Terminated };
  lastState?: { terminated?: Terminated };
  restartCount?: number;
}

/** One run of a container: from its start to its end (now, while it runs). */
interface Run {
  start: number;
  end: number;
  reason: string | undefined;
  /** The run before this one ended in a crash (Postgres then recovers at start). */
  afterCrash: boolean;
}

/** Postgres refuses a connection every this many ms while saturated; a client reports one every… */
const REFUSAL_EVERY_MS = 1_000;
const CLIENT_REPORT_EVERY_MS = 2_000;
/** At most this many refusals per run: the oldest go first (a bound, as a log rotation would). */
const MAX_REFUSALS = 2_000;
/** A saturated Postgres fills up this soon after it starts (its clients reconnect at once). */
const SATURATED_AFTER_MS = 1_000;
/** The shortest run a failed container's log tells: start, then its end. */
const MIN_RUN_MS = 5_000;

const ms = (time: string | undefined, fallback: number): number => {
  const parsed = time === undefined ? NaN : Date.parse(time);
  return Number.isNaN(parsed) ? fallback : parsed;
};

function runOf(
  pod: KubeObject,
  status: ContainerStatus | undefined,
  previous: boolean,
  now: number,
): Run | undefined {
  const name = pod.metadata.name;
  const container = status?.name ?? '';
  const last = status?.lastState?.terminated;
  const restarts = status?.restartCount ?? 0;
  const crashed = (t: Terminated | undefined): boolean => t !== undefined && t.reason !== 'Completed';
  const finished = (t: Terminated, afterCrash: boolean): Run => {
    const end = ms(t.finishedAt, now);
    // A run that failed at once still wrote its start before its end (the kubelet stamps both alike).
    return { start: Math.min(ms(t.startedAt, end), end - MIN_RUN_MS), end, reason: t.reason, afterCrash };
  };
  // The last run of a crash loop came after the crashes before it.
  const lastRun = (t: Terminated): Run => finished(t, crashed(t) && restarts > 1);
  if (previous) {
    if (last === undefined)
      throw errors.badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return lastRun(last);
  }
  if (status === undefined) return undefined;
  const state = status.state ?? {};
  if (state.running !== undefined)
    return {
      start: ms(state.running.startedAt, now),
      end: now,
      reason: undefined,
      afterCrash: crashed(last),
    };
  if (state.terminated !== undefined) return finished(state.terminated, crashed(last));
  // A container waiting to restart shows its last run, as the kubelet does.
  if (last !== undefined) return lastRun(last);
  throw errors.badRequest(
    `container "${container}" in pod "${name}" is waiting to start: ${state.waiting?.reason ?? 'ContainerCreating'}`,
  );
}

/** Times from `from` to `to` every `every` ms, at most `max` of them (the latest). */
function ticks(from: number, to: number, every: number, max: number): number[] {
  if (to < from) return [];
  const count = Math.floor((to - from) / every) + 1;
  const first = Math.max(0, count - max);
  const out: number[] = [];
  for (let i = first; i < count; i += 1) out.push(from + i * every);
  return out;
}

/** The container a log request names, or the apiserver's 400 when it names none or a wrong one. */
export function containerOf(pod: KubeObject, requested: string | null): ContainerSpec {
  const spec = pod.spec as { containers?: ContainerSpec[]; initContainers?: ContainerSpec[] } | undefined;
  const containers = spec?.containers ?? [];
  const inits = spec?.initContainers ?? [];
  const name = pod.metadata.name;
  if (requested === null || requested === '') {
    const only = containers[0];
    if (containers.length === 1 && only !== undefined) return only;
    throw errors.badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]` +
        (inits.length > 0 ? ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]` : ''),
    );
  }
  const found = [...containers, ...inits].find((c) => c.name === requested);
  if (found === undefined) throw errors.badRequest(`container ${requested} is not valid for pod ${name}`);
  return found;
}

/** The lines of the run a log request asks for, oldest first. */
export function containerLog(
  pod: KubeObject,
  container: ContainerSpec,
  previous: boolean,
  now: number,
  saturations: readonly Saturation[],
): LogLine[] {
  const podStatus = pod.status as
    { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } | undefined;
  const status = [...(podStatus?.containerStatuses ?? []), ...(podStatus?.initContainerStatuses ?? [])].find(
    (s) => s.name === container.name,
  );
  const run = runOf(pod, status ?? (previous ? { name: container.name } : undefined), previous, now);
  if (run === undefined) return [];
  const image = container.image ?? '';
  const program = programOf(image, container.name);
  const context = {
    image,
    container: container.name,
    port: container.ports?.[0]?.containerPort,
    argv: [...(container.command ?? []), ...(container.args ?? [])],
    afterCrash: run.afterCrash,
  };
  const lines: LogLine[] = [...startLines(program, run.start, context)];
  const namespace = pod.metadata.namespace;
  const labels = pod.metadata.labels;
  for (const s of saturations) {
    if (s.namespace !== namespace) continue;
    const from = Math.max(run.start + SATURATED_AFTER_MS, s.since);
    // A run that ended in failure refuses nothing in its last moments: its end is what it says last.
    const to = Math.min(run.end - (run.reason === undefined ? 0 : 100), s.until ?? run.end);
    if (matchesLabels(s.server, labels) && program === 'postgres')
      for (const t of ticks(from, to, REFUSAL_EVERY_MS, MAX_REFUSALS))
        lines.push({
          at: t,
          text: refusedConnection(t, 1000 + Math.floor((t - s.since) / REFUSAL_EVERY_MS)),
        });
    else if (s.clients !== undefined && matchesLabels(s.clients, labels))
      for (const t of ticks(from, to, CLIENT_REPORT_EVERY_MS, MAX_REFUSALS / 10))
        lines.push(...clientRefused(program, t));
  }
  if (run.reason === 'OOMKilled') lines.push(...oomLines(program, run.end));
  else if (run.reason === 'Error') lines.push(...errorLines(program, run.end, context));
  return lines.sort((a, b) => a.at - b.at);
}
