// After training: what the trainee changed (from the simulator's request log), how long recovery
// took against the postmortem's night, which changes destroyed something, and the runbook to learn.
import type { RequestRecord } from '../sim/world.js';
import { REAL_RECOVERY, nightSentence } from './postmortem-durations.js';

export interface DebriefInput {
  readonly scenario: string;
  readonly runbook: string | undefined;
  /** The command lines that end the night (from the scenario), shown when they say more than the runbook's name. */
  readonly recovery: ReadonlyArray<readonly string[]>;
  readonly recovered: boolean;
  readonly detail: string;
  readonly simMinutes: number;
  readonly requests: readonly RequestRecord[];
}

/** A change in words, from the method and path of the request that made it. */
export function describeRequest(r: RequestRecord): string {
  const scale = /\/namespaces\/([^/]+)\/(deployments|statefulsets)\/([^/]+)\/scale$/.exec(r.path);
  if (scale !== null) return `scaled ${scale[2]?.slice(0, -1)} ${scale[1]}/${scale[3]}`;
  const item = /\/namespaces\/([^/]+)\/([a-z]+)\/([^/]+)$/.exec(r.path);
  if (item !== null && r.method === 'DELETE')
    return `deleted ${item[2]?.replace(/s$/, '')} ${item[1]}/${item[3]}`;
  const volume = /^\/v4(?:beta)?\/volumes\/(\d+)\/(attach|detach)$/.exec(r.path);
  if (volume !== null) return `${volume[2]}ed Linode volume ${volume[1]}`;
  const linode = /^\/v4(?:beta)?\/linode\/instances\/(\d+)\/(boot|reboot|shutdown)$/.exec(r.path);
  if (linode !== null) return `${linode[2]} of Linode ${linode[1]}`;
  return `${r.method} ${r.path}`;
}

/** Changes worth a second look: they destroy something, or are the blunt tool of the trade. */
function risky(r: RequestRecord): string | undefined {
  if (r.method === 'DELETE' && /\/deployments\//.test(r.path)) {
    return 'deleting a deployment loses what was not in its manifest; scaling to 0 keeps it';
  }
  if (r.method === 'DELETE' && /\/pods\//.test(r.path))
    return 'a deleted pod is only safe once its kubelet cannot act';
  if (/\/detach$/.test(r.path))
    return 'a detach under a running database risks its data: only once its pods are gone';
  if (/\/(reboot|shutdown|recycle)$/.test(r.path))
    return 'a reboot or recycle takes down every pod on the node';
  return undefined;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Asked of the API server, never stored: "may I?" and "who am I?" (kubectl auth can-i, whoami). */
const REVIEW =
  /^\/apis\/(authorization|authentication)\.k8s\.io\/[^/]+\/(namespaces\/[^/]+\/)?[a-z]*(reviews)$/;

/** A port-forward opens a tunnel to read through; it changes nothing. */
const TUNNEL = /\/pods\/[^/]+\/portforward$/;

/**
 * A request that changed the cluster or Linode: not a read, not a server-side dry run
 * (`dryRun=All`, as `--dry-run` sends), not an access review, not a refusal, not a run's own lock.
 */
export function isChange(r: RequestRecord): boolean {
  return (
    !READS.has(r.method) &&
    r.api !== 'control' &&
    r.status < 400 &&
    r.query.dryRun === undefined &&
    r.dryRun !== true &&
    !REVIEW.test(r.path) &&
    !TUNNEL.test(r.path) &&
    !r.path.includes('/leases')
  );
}

/** The requests that asked to change something but did not: said, so the count above is believed. */
function notCounted(requests: readonly RequestRecord[]): string | undefined {
  const asked = requests.filter((r) => !READS.has(r.method) && r.api !== 'control' && r.status < 400);
  const dryRuns = asked.filter((r) => r.query.dryRun !== undefined || r.dryRun === true).length;
  const reviews = asked.filter((r) => REVIEW.test(r.path)).length;
  const parts = [
    ...(dryRuns === 0
      ? []
      : [`${String(dryRuns)} server-side dry run${dryRuns === 1 ? '' : 's'} (dryRun=All)`]),
    ...(reviews === 0 ? [] : [`${String(reviews)} access review${reviews === 1 ? '' : 's'} (can-i)`]),
  ];
  return parts.length === 0 ? undefined : `Not counted as changes: ${parts.join(', ')}.`;
}

export function debrief(input: DebriefInput): string[] {
  const changes = input.requests.filter(isChange);
  const lines = [
    input.recovered
      ? `Recovered after ${input.simMinutes.toFixed(1)} simulated minutes: ${input.detail}.`
      : `Not recovered after ${input.simMinutes.toFixed(1)} simulated minutes: ${input.detail}.`,
    nightSentence(REAL_RECOVERY[input.scenario]),
    '',
    changes.length === 0 ? 'You changed nothing.' : `What you changed (${changes.length}):`,
    ...changes.map((r) => `  ${r.time.slice(11, 19)}  ${describeRequest(r)}`),
  ];
  const uncounted = notCounted(input.requests);
  if (uncounted !== undefined) lines.push(uncounted);
  const warnings = changes.flatMap((r) => {
    const why = risky(r);
    return why === undefined ? [] : [`  ${describeRequest(r)}: ${why}`];
  });
  if (warnings.length > 0) lines.push('', 'Worth a second look:', ...warnings);
  const commands = input.recovery.map((run) => `runbook ${run.join(' ')}`);
  if (input.runbook !== undefined) {
    // One command that is the runbook itself (with its flags) is said once, in the runbook's sentence.
    const own = commands.length === 1 && input.recovery[0]?.[0] === input.runbook ? commands[0] : undefined;
    lines.push(
      '',
      `The runbook for this night: \`${own ?? `runbook ${input.runbook}`}\` (\`runbook show ${input.runbook}\` explains it).`,
    );
    if (own !== undefined) return lines;
  }
  if (commands.length > 0 && commands.join() !== `runbook ${input.runbook ?? ''}`)
    lines.push(`What ends it: ${commands.map((c) => `\`${c}\``).join(', then ')}.`);
  return lines;
}
