// A bad night for the APIs, shared by the fault tests: realistic fault rates, a run carried to its
// end through `runbook resume`, and the checks made of the simulator's request log.
import assert from 'node:assert/strict';
import { readJournal } from '../../src/engine/journal.js';
import { DEFAULT_RETRY } from '../../src/providers/shared/retry.js';
import type { Fault, RequestRecord } from '../../src/sim/world.js';
import { type CliResult, TEST_STATE_DIR, runCli } from './cli.js';
import type { SimHarness } from './sim.js';

/**
 * 500s and 429s (Retry-After: 1) on both APIs, 20-40 ms of latency, watch streams cut 150 ms (real
 * time: many seconds of the instant sim clock) after they open;
 * and, so that no run gets through unscathed by chance, the first call to each API answers 503.
 */
export const REALISTIC_FAULTS: readonly Fault[] = [
  { kind: 'api-error', api: 'kubernetes', pathPattern: '^/api', status: 503, rate: 1, count: 1 },
  { kind: 'api-error', api: 'linode', pathPattern: '^/v4/', status: 503, rate: 1, count: 1 },
  {
    kind: 'api-error',
    api: 'kubernetes',
    pathPattern: '^/api',
    status: 500,
    rate: 0.07,
  },
  {
    kind: 'api-error',
    api: 'kubernetes',
    pathPattern: '^/api',
    status: 429,
    rate: 0.02,
    retryAfterSeconds: 1,
  },
  {
    kind: 'api-error',
    api: 'linode',
    pathPattern: '^/v4/',
    status: 500,
    rate: 0.07,
  },
  { kind: 'api-error', api: 'linode', pathPattern: '^/v4/', status: 429, rate: 0.04, retryAfterSeconds: 1 },
  { kind: 'latency', api: 'kubernetes', ms: 20 },
  { kind: 'latency', api: 'linode', ms: 40 },
  // The first watches of a run are cut at once, so every run resumes some; the rest live 150 ms.
  { kind: 'watch-drop', afterMs: 0, count: 3 },
  { kind: 'watch-drop', afterMs: 150 },
];

export function injectRealisticFaults(h: SimHarness): void {
  for (const fault of REALISTIC_FAULTS) h.sim.world.faults.add({ ...fault });
}

/** One process: the CLI's result and the requests the simulator saw while it ran. */
export interface Attempt {
  readonly args: readonly string[];
  readonly result: CliResult;
  readonly requests: readonly RequestRecord[];
}

/** Exit codes of a run that stopped because an API kept failing: step-failed, cluster/Linode unreachable. */
const STOPPED_BY_THE_API = new Set([1, 7, 9]);

async function attempt(h: SimHarness, args: readonly string[]): Promise<Attempt> {
  const from = h.sim.requests.length;
  const result = await runCli(args, { env: h.env() });
  return { args, result, requests: h.sim.requests.slice(from) };
}

/**
 * Runs `args`; a run the faults stopped must stop cleanly (a documented exit code, a message naming
 * the failed call, how to resume) and `runbook resume <id> --yes` must carry it on, at most
 * `maxResumes` times, to exit 0.
 */
export async function runThroughFaults(
  h: SimHarness,
  args: readonly string[],
  maxResumes = 3,
): Promise<Attempt[]> {
  const attempts = [await attempt(h, args)];
  const first = attempts[0]?.result;
  const runId = runIdOf(attempts);
  for (let last = first; last !== undefined && last.exitCode !== 0;) {
    const output = attempts
      .map((a) => `$ runbook ${a.args.join(' ')}\n${a.result.stderr}${a.result.stdout}`)
      .join('\n');
    assert.ok(STOPPED_BY_THE_API.has(last.exitCode), `exit ${last.exitCode} is not a clean stop:\n${output}`);
    assert.match(last.stderr, /injected fault|Internal Server Error|Too many requests/i, output);
    assert.ok(runId !== undefined, output);
    assert.match(last.stderr, new RegExp(`runbook resume ${runId}`), output);
    assert.ok(attempts.length <= maxResumes, `still failing after ${maxResumes} resumes:\n${output}`);
    const next = await attempt(h, ['resume', runId, '--yes']);
    attempts.push(next);
    last = next.result;
  }
  return attempts;
}

const runIdOf = (attempts: readonly Attempt[]): string | undefined =>
  /run {6}(\S+)/.exec(attempts[0]?.result.stdout ?? '')?.[1];

const key = (r: RequestRecord): string => `${r.method} ${r.path}`;
const failed = (r: RequestRecord): boolean => r.status === 429 || r.status >= 500;

/** Mutations the cluster accepted (not the lock, not dry runs), counted by method and path. */
export function applied(h: SimHarness): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of h.mutations())
    if (r.status >= 200 && r.status < 300) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  return counts;
}

const EVICTION = /\/eviction$/;

/**
 * No change reached the cluster twice: every accepted mutation (the lock aside) is one action the
 * journal says was done, or one eviction of a pod not evicted before. A retry whose first try had
 * in fact been applied, or an action performed again on resume, shows up as one request too many.
 */
export function assertEachChangeOnce(h: SimHarness, runs: ReadonlyArray<readonly Attempt[]>): void {
  const accepted = h.mutations().filter((r) => r.status >= 200 && r.status < 300);
  const evictions = accepted.filter((r) => EVICTION.test(r.path)).map((r) => r.path);
  assert.equal(new Set(evictions).size, evictions.length, `a pod evicted twice: ${evictions.join(', ')}`);
  let done = 0;
  for (const attempts of runs) {
    const runId = runIdOf(attempts);
    assert.ok(runId !== undefined);
    done += readJournal(TEST_STATE_DIR, runId).filter(
      (r) => r.type === 'action' && r.status === 'done' && r.kind !== 'k8s.evict' && r.kind !== 'k8s.lease',
    ).length;
  }
  const changes = accepted.filter((r) => !EVICTION.test(r.path));
  assert.equal(changes.length, done, `accepted: ${changes.map(key).join('; ')}`);
}

/** Calls that must not be sent twice: only a 429 proves Linode did not act on them. */
const NOT_IDEMPOTENT = [/^\/v4\/volumes\/\d+\/attach$/, /^\/v4\/lke\/clusters\/\d+\/nodes\/[^/]+\/recycle$/];

/**
 * Within each process: a non-idempotent call that failed other than with 429 was not sent again,
 * and no call failed more than DEFAULT_RETRY.attempts times in a row (retries are bounded).
 */
export function assertRetriesSafe(attempts: readonly Attempt[]): void {
  for (const { args, requests } of attempts) {
    const streaks = new Map<string, number>();
    for (const [index, r] of requests.entries()) {
      if (r.api === 'control' || r.query.watch === 'true') continue;
      const k = key(r);
      const streak = failed(r) ? (streaks.get(k) ?? 0) + 1 : 0;
      streaks.set(k, streak);
      assert.ok(streak <= DEFAULT_RETRY.attempts, `${k} failed ${streak} times in a row (${args.join(' ')})`);
      if (r.method !== 'POST' || !NOT_IDEMPOTENT.some((p) => p.test(r.path)) || r.status < 500) continue;
      const again = requests.slice(index + 1).find((later) => key(later) === k);
      assert.equal(again, undefined, `${k} answered ${r.status} and was sent again (${args.join(' ')})`);
    }
  }
}
